import { jsonBody } from '@/lib/api/body'
import { confirmQuery, patchAppRole, readAppRole, removeAppRole, updateAppRoleBody } from '@/lib/api/gatehouse/apps'
import { apiHandler } from '@/lib/api/handler'
import { parseQuery } from '@/lib/api/query'

// Apps_GetAppRole, Apps_UpdateAppRole and Apps_DeleteAppRole.
export const dynamic = 'force-dynamic'

type Params = { key: string; roleKey: string }

export const GET = apiHandler<Params>(async (ctx, _request, params) => Response.json(await readAppRole(ctx, params)))

export const PATCH = apiHandler<Params>(async (ctx, request, params) => Response.json(await patchAppRole(ctx, params, await jsonBody(request, updateAppRoleBody))))

export const DELETE = apiHandler<Params>(async (ctx, request, params) => {
  await removeAppRole(ctx, params, parseQuery(confirmQuery, request))
  return new Response(null, { status: 204 })
})
