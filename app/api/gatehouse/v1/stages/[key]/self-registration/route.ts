import { jsonBody } from '@/lib/api/body'
import { patchSelfRegistration, selfRegistrationBody } from '@/lib/api/gatehouse/stages'
import { apiHandler } from '@/lib/api/handler'

// Stages_UpdateSelfRegistration.
export const dynamic = 'force-dynamic'

type Params = { key: string }

export const PATCH = apiHandler<Params>(async (ctx, request, params) => Response.json(await patchSelfRegistration(ctx, params, await jsonBody(request, selfRegistrationBody))))
