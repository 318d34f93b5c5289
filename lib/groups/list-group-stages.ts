import 'server-only'
import type { StageRef } from '../authz/model'
import { withTransaction, type Ctx } from '../context'
import { requireSomeStage } from './access'

/** The stages in which the actor may create groups (the "New group" form's choices). */
export async function listGroupStages(ctx: Ctx): Promise<StageRef[]> {
  return withTransaction(ctx, (tx, ctx) => requireSomeStage(tx, ctx, 'endusers.manage_groups', 'create end-user groups'))
}
