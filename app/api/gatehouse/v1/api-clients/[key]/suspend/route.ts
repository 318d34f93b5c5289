import { setApiClientSuspendedOp } from '@/lib/api/gatehouse/api-clients'
import { apiHandler } from '@/lib/api/handler'

// ApiClients_SuspendApiClient.
export const dynamic = 'force-dynamic'

export const POST = apiHandler<{ key: string }>(async (ctx, _request, params) => Response.json(await setApiClientSuspendedOp(ctx, params, true)))
