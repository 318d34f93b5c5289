import { jsonBody } from '@/lib/api/body'
import { patchStage, readStage, renameStageBody } from '@/lib/api/gatehouse/stages'
import { apiHandler } from '@/lib/api/handler'

// Stages_GetStage and Stages_RenameStage.
export const dynamic = 'force-dynamic'

type Params = { key: string }

export const GET = apiHandler<Params>(async (ctx, _request, params) => Response.json(await readStage(ctx, params)))

export const PATCH = apiHandler<Params>(async (ctx, request, params) => Response.json(await patchStage(ctx, params, await jsonBody(request, renameStageBody))))
