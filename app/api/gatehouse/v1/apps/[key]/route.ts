import { jsonBody } from '@/lib/api/body'
import { confirmQuery, patchApp, readApp, removeApp, updateAppBody } from '@/lib/api/gatehouse/apps'
import { apiHandler } from '@/lib/api/handler'
import { parseQuery } from '@/lib/api/query'

// Apps_GetApp, Apps_UpdateApp and Apps_DeleteApp.
export const dynamic = 'force-dynamic'

type Params = { key: string }

export const GET = apiHandler<Params>(async (ctx, _request, params) => Response.json(await readApp(ctx, params)))

export const PATCH = apiHandler<Params>(async (ctx, request, params) => Response.json(await patchApp(ctx, params, await jsonBody(request, updateAppBody))))

export const DELETE = apiHandler<Params>(async (ctx, request, params) => {
  await removeApp(ctx, params, parseQuery(confirmQuery, request))
  return new Response(null, { status: 204 })
})
