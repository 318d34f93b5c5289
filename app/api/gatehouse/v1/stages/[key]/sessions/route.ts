import { jsonBody } from '@/lib/api/body'
import { patchStageSessions, stageSessionsBody } from '@/lib/api/gatehouse/stages'
import { apiHandler } from '@/lib/api/handler'

// Stages_UpdateStageSessions.
export const dynamic = 'force-dynamic'

type Params = { key: string }

export const PATCH = apiHandler<Params>(async (ctx, request, params) => Response.json(await patchStageSessions(ctx, params, await jsonBody(request, stageSessionsBody))))
