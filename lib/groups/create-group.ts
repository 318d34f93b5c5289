import 'server-only'
import { groups } from '@/db/schema'
import { isUniqueViolation } from '../db-errors'
import { audit } from '../audit/record'
import { catalogueFor, requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { ConflictError, ValidationError } from '../errors'
import { parse } from '../validation'
import { createGroupSchema } from './schemas'

export const nameTaken = (stageCode: string) =>
  new ConflictError('Some fields need attention.', { name: [`A group with this name already exists in ${stageCode}. Names are unique within a stage.`] })

/** Creates an end-user group in one stage, which it keeps for life (GRP-1). */
export async function createGroup(ctx: Ctx, input: unknown): Promise<{ groupKey: string }> {
  const { name, description, stageKey } = parse(createGroupSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const stage = (await catalogueFor(tx, ctx)).stages.get(stageKey)
    if (!stage) throw new ValidationError('Some fields need attention.', { stageKey: ['That stage no longer exists. Reload and choose again.'] })
    await requirePermission(tx, ctx, 'endusers.manage_groups', { stageKey })
    const now = nowOf(ctx)
    // A savepoint, so a duplicate name becomes a field error without aborting the caller's transaction.
    const created = await tx
      .transaction((sp) => sp.insert(groups).values({ name, description, stageKey, createdAt: now, updatedAt: now }).returning({ key: groups.key }))
      .catch((e) => {
        if (isUniqueViolation(e, 'groups_stage_name_unique')) throw nameTaken(stage.code)
        throw e
      })
    const groupKey = created[0].key
    await audit(tx, ctx, { action: 'group.created', target: { type: 'group', key: groupKey, label: name }, after: { name, description, stage: stage.code } })
    return { groupKey }
  })
}
