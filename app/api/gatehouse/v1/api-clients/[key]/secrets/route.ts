import { rotateApiClientSecretOp } from '@/lib/api/gatehouse/api-clients'
import { apiHandler } from '@/lib/api/handler'

// ApiClients_RotateApiClientSecret.
export const dynamic = 'force-dynamic'

export const POST = apiHandler<{ key: string }>(async (ctx, request, params) => Response.json(await rotateApiClientSecretOp(ctx, params, request), { status: 201 }))
