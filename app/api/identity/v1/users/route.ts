import { jsonBody } from '@/lib/api/body'
import { apiHandler } from '@/lib/api/handler'
import { createUserBody, createUserFromApi, queryUsersParams, toUserFilters, toUserProfile } from '@/lib/api/identity/users'
import { listResponse, parseQuery, querySchema } from '@/lib/api/query'
import { queryUsersPage } from '@/lib/users/query-users'

// UserProfile_QueryUsers (API-1) and UserProfile_CreateUser (API-3).
export const dynamic = 'force-dynamic'

const query = querySchema(queryUsersParams, { exclusive: [['environmentKey', 'environmentKeys']] })

export const GET = apiHandler(
  async (ctx, request) => {
    const q = parseQuery(query, request)
    const embed = q.embed ?? []
    const { rows, total } = await queryUsersPage(ctx, { offset: q.offset, limit: q.limit, sort: q.sort, filters: toUserFilters(q), applicationRoles: embed.includes('ApplicationRoles') })
    return Response.json(listResponse(rows.map((row) => toUserProfile(row, { embed, applicationRoles: row.applicationRoles })), q, total))
  },
  { api: 'identity' },
)

export const POST = apiHandler(
  async (ctx, request) => Response.json(await createUserFromApi(ctx, await jsonBody(request, createUserBody)), { status: 201 }),
  { api: 'identity' },
)
