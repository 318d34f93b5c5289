import { jsonBody } from '@/lib/api/body'
import { apiHandler } from '@/lib/api/handler'
import { changeGroupUsers, groupUsersBody, groupUsersQuery, queryGroupUsers } from '@/lib/api/identity/groups'
import { parseQuery } from '@/lib/api/query'

// Group_QueryUsersFromGroup (API-23) and Group_AddOrRemoveUsersFromGroup (API-24).
export const dynamic = 'force-dynamic'

type Params = { key: string }

export const GET = apiHandler<Params>(async (ctx, request, params) => Response.json(await queryGroupUsers(ctx, params, parseQuery(groupUsersQuery, request))), { api: 'identity' })

export const PATCH = apiHandler<Params>(
  async (ctx, request, params) => {
    await changeGroupUsers(ctx, params, await jsonBody(request, groupUsersBody))
    return new Response(null, { status: 200 })
  },
  { api: 'identity' },
)
