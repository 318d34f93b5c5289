import { jsonBody } from '@/lib/api/body'
import { apiHandler } from '@/lib/api/handler'
import { changeGroupApplicationRoles, groupRolesBody, groupRolesQuery, queryGroupApplicationRoles } from '@/lib/api/identity/groups'
import { parseQuery } from '@/lib/api/query'

// Group_QueryApplicationRolesGroups (API-25) and Group_ModifyGroupApplicationRoles (API-26).
export const dynamic = 'force-dynamic'

type Params = { key: string }

export const GET = apiHandler<Params>(
  async (ctx, request, params) => Response.json(await queryGroupApplicationRoles(ctx, params, parseQuery(groupRolesQuery, request))),
  { api: 'identity' },
)

export const PATCH = apiHandler<Params>(
  async (ctx, request, params) => {
    await changeGroupApplicationRoles(ctx, params, await jsonBody(request, groupRolesBody))
    return new Response(null, { status: 200 })
  },
  { api: 'identity' },
)
