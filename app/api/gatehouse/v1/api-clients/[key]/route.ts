import { deleteApiClientOp, readApiClient, updateApiClientOp } from '@/lib/api/gatehouse/api-clients'
import { apiHandler } from '@/lib/api/handler'

// ApiClients_GetApiClient, ApiClients_UpdateApiClient and ApiClients_DeleteApiClient.
export const dynamic = 'force-dynamic'

type Params = { key: string }

export const GET = apiHandler<Params>(async (ctx, _request, params) => Response.json(await readApiClient(ctx, params)))

export const PATCH = apiHandler<Params>(async (ctx, request, params) => Response.json(await updateApiClientOp(ctx, params, request)))

export const DELETE = apiHandler<Params>(async (ctx, _request, params) => {
  await deleteApiClientOp(ctx, params)
  return new Response(null, { status: 204 })
})
