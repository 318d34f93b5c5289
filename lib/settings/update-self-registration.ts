import 'server-only'
import { asc, eq, inArray, sql } from 'drizzle-orm'
import { groups, registrationGroups, stages } from '@/db/schema'
import { audit, diff } from '../audit/record'
import { requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { ValidationError } from '../errors'
import { parse } from '../validation'
import { lockStage } from './access'
import { updateSelfRegistrationSchema } from './schemas'

/**
 * Self-registration on a stage's hosted pages (AUTH-6): on or off, the email domains a new
 * registration must belong to (none: any), and the groups every new end-user of the stage joins.
 * A group belongs to one stage (GRP-1), so only groups of this stage may be chosen. The chosen
 * groups replace the stage's previous ones.
 */
export async function updateSelfRegistration(ctx: Ctx, input: unknown): Promise<{ changed: boolean }> {
  const p = parse(updateSelfRegistrationSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_authentication')
    const stage = await lockStage(tx, p.stageKey)
    // Locked against deletion until this commits, so a chosen group cannot vanish in between.
    const chosen = p.groupKeys.length
      ? await tx
          .select({ key: groups.key, name: groups.name, stageKey: groups.stageKey, stageCode: stages.code })
          .from(groups)
          .innerJoin(stages, eq(stages.key, groups.stageKey))
          .where(inArray(groups.key, p.groupKeys))
          .orderBy(asc(sql`lower(${groups.name})`))
          .for('key share', { of: groups })
      : []
    if (chosen.length !== p.groupKeys.length) throw new ValidationError('Some fields need attention.', { groupKeys: ['A chosen group no longer exists. Reload the page and choose again.'] })
    const foreign = chosen.filter((g) => g.stageKey !== stage.key)
    if (foreign.length)
      throw new ValidationError('Some fields need attention.', {
        groupKeys: foreign.map((g) => `“${g.name}” belongs to ${g.stageCode}: new end-users of ${stage.code} can only join groups of ${stage.code}.`),
      })

    const current = await tx
      .select({ key: groups.key, name: groups.name })
      .from(registrationGroups)
      .innerJoin(groups, eq(groups.key, registrationGroups.groupKey))
      .where(eq(registrationGroups.stageKey, stage.key))
      .orderBy(asc(sql`lower(${groups.name})`))
    const names = (list: Array<{ name: string }>) => list.map((g) => g.name)
    const changes = diff(
      { enabled: stage.selfRegistrationEnabled, allowedDomains: stage.selfRegistrationDomains, groups: names(current) },
      { enabled: p.enabled, allowedDomains: p.allowedDomains, groups: names(chosen) },
    )
    const sameGroups = current.length === chosen.length && current.every((g) => p.groupKeys.includes(g.key))
    if (Object.keys(changes.after).length === 0 && sameGroups) return { changed: false }

    await tx
      .update(stages)
      .set({ selfRegistrationEnabled: p.enabled, selfRegistrationDomains: p.allowedDomains, updatedAt: nowOf(ctx) })
      .where(eq(stages.key, stage.key))
    if (!sameGroups) {
      await tx.delete(registrationGroups).where(eq(registrationGroups.stageKey, stage.key))
      if (chosen.length) await tx.insert(registrationGroups).values(chosen.map((g) => ({ groupKey: g.key, stageKey: stage.key })))
    }
    await audit(tx, ctx, {
      action: 'stage.self_registration_changed',
      target: { type: 'stage', key: stage.key, label: `${stage.name} (${stage.code})` },
      ...changes,
      details: sameGroups ? undefined : { groupKeys: chosen.map((g) => g.key) },
    })
    return { changed: true }
  })
}
