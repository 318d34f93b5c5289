import { apiHandler } from '@/lib/api/handler'
import { queryUserGroups, userGroupsQuery } from '@/lib/api/identity/user-groups'
import { parseQuery } from '@/lib/api/query'

// UserProfile_QueryGroupsByUser (API-9).
export const dynamic = 'force-dynamic'

export const GET = apiHandler<{ key: string }>(async (ctx, request, params) => Response.json(await queryUserGroups(ctx, params, parseQuery(userGroupsQuery, request))), { api: 'identity' })
