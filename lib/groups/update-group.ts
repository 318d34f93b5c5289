import 'server-only'
import { eq, sql } from 'drizzle-orm'
import { groups } from '@/db/schema'
import { isUniqueViolation } from '../db-errors'
import { audit, diff } from '../audit/record'
import { nowOf, withTransaction, type Ctx } from '../context'
import { parse } from '../validation'
import { checkVersion, groupFor } from './access'
import { nameTaken } from './create-group'
import { updateGroupSchema } from './schemas'

/** Renames a group or changes its description; its stage never changes (GRP-1). */
export async function updateGroup(ctx: Ctx, input: unknown): Promise<{ version: number }> {
  const { groupKey, name, description, version } = parse(updateGroupSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const group = await groupFor(tx, ctx, groupKey, { manage: true, lock: 'update' })
    checkVersion(group, version)
    const { before, after } = diff({ name: group.name, description: group.description }, { name, description })
    if (Object.keys(after).length === 0) return { version: group.version }
    const [updated] = await tx
      .transaction((sp) =>
        sp
          .update(groups)
          .set({ name, description, version: sql`${groups.version} + 1`, updatedAt: nowOf(ctx) })
          .where(eq(groups.key, groupKey))
          .returning({ version: groups.version }),
      )
      .catch((e) => {
        if (isUniqueViolation(e, 'groups_stage_name_unique')) throw nameTaken(group.stageCode)
        throw e
      })
    await audit(tx, ctx, { action: 'group.updated', target: { type: 'group', key: groupKey, label: name }, before, after })
    return { version: updated.version }
  })
}
