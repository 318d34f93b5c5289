import { queryStages, stagesQuery } from '@/lib/api/gatehouse/stages'
import { apiHandler } from '@/lib/api/handler'
import { parseQuery } from '@/lib/api/query'

// Stages_ListStages.
export const dynamic = 'force-dynamic'

export const GET = apiHandler(async (ctx, request) => Response.json(await queryStages(ctx, parseQuery(stagesQuery, request))))
