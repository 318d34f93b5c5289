import 'server-only'
import { requirePermission } from '../authz'
import { withTransaction, type Ctx } from '../context'
import { allStages, type StageOption } from './stages'

/** What the “Create app” form offers: the organization's stages (all ticked by default). */
export async function getNewAppOptions(ctx: Ctx): Promise<{ stages: StageOption[] }> {
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'asset.create')
    return { stages: await allStages(tx) }
  })
}
