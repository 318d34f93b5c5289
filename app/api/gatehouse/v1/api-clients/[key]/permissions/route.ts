import { setApiClientPermissionsOp } from '@/lib/api/gatehouse/api-clients'
import { apiHandler } from '@/lib/api/handler'

// ApiClients_SetApiClientPermissions.
export const dynamic = 'force-dynamic'

export const PUT = apiHandler<{ key: string }>(async (ctx, request, params) => Response.json(await setApiClientPermissionsOp(ctx, params, request)))
