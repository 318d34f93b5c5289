import { apiHandler } from '@/lib/api/handler'
import { countUsersParams, toUserFilters } from '@/lib/api/identity/users'
import { parseQuery, querySchema } from '@/lib/api/query'
import { countUsers } from '@/lib/users/query-users'

// UserProfile_CountUsers (API-2): a static segment, so Next.js matches it before /users/{key}.
export const dynamic = 'force-dynamic'

const query = querySchema(countUsersParams)

export const GET = apiHandler(async (ctx, request) => Response.json({ userCount: await countUsers(ctx, toUserFilters(parseQuery(query, request))) }), { api: 'identity' })
