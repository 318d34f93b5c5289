import { jsonBody } from '@/lib/api/body'
import { appRolesQuery, createAppRoleBody, createAppRoleFromApi, queryAppRoles } from '@/lib/api/gatehouse/apps'
import { apiHandler } from '@/lib/api/handler'
import { parseQuery } from '@/lib/api/query'

// Apps_ListAppRoles and Apps_CreateAppRole.
export const dynamic = 'force-dynamic'

type Params = { key: string }

export const GET = apiHandler<Params>(async (ctx, request, params) => Response.json(await queryAppRoles(ctx, params, parseQuery(appRolesQuery, request))))

export const POST = apiHandler<Params>(async (ctx, request, params) =>
  Response.json(await createAppRoleFromApi(ctx, params, await jsonBody(request, createAppRoleBody)), { status: 201 }),
)
