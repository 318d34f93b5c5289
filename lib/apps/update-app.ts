import 'server-only'
import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { appRoleInstances, appStages, apps } from '@/db/schema'
import { audit, diff } from '../audit/record'
import { requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { ConflictError } from '../errors'
import { parse } from '../validation'
import { findApp, lockApp, staleMessage } from './access'
import { instanceImpact, removingInstances, type Impact } from './impact'
import { previewStagesSchema, updateAppSchema } from './schemas'
import { allStages, chosenStages, refuseDuplicateAppName, stageCodes, type StageOption } from './stages'

export type StagesChange = {
  /** The stages the app is deployed to now. */
  current: StageOption[]
  added: StageOption[]
  removed: StageOption[]
  /** Who loses application roles in the removed stages (their role instances are deleted). */
  impact: Impact
  /** Role instances deploying to the added stages creates: one per role and stage. */
  instancesToCreate: number
}

async function stagesChange(tx: Tx, appKey: string, chosen: StageOption[]): Promise<StagesChange> {
  const deployed = new Set((await tx.select({ stageKey: appStages.stageKey }).from(appStages).where(eq(appStages.appKey, appKey))).map((r) => r.stageKey))
  const current = (await allStages(tx)).filter((s) => deployed.has(s.key))
  const wanted = new Set(chosen.map((s) => s.key))
  const added = chosen.filter((s) => !deployed.has(s.key))
  const removed = current.filter((s) => !wanted.has(s.key))
  const impact = removed.length
    ? await instanceImpact(tx, and(eq(appRoleInstances.appKey, appKey), inArray(appRoleInstances.stageKey, removed.map((s) => s.key)))!)
    : { users: 0, groups: 0, stages: [] }
  const [{ n }] = (await tx.execute(sql`select count(*)::int as n from app_roles where app_key = ${appKey}`)).rows as [{ n: number }]
  return { current, added, removed, impact, instancesToCreate: n * added.length }
}

/** What saving these deployed stages would add and take away, before anything is changed. */
export async function previewAppStages(ctx: Ctx, input: unknown): Promise<StagesChange> {
  const { appKey, stageKeys } = parse(previewStagesSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'asset.change', { appKey })
    await findApp(tx, appKey)
    return stagesChange(tx, appKey, await chosenStages(tx, stageKeys))
  })
}

/**
 * Renames, describes and (re)deploys an app (APP-1). Deploying to a new stage creates an instance
 * of every role there; undeploying deletes that stage's instances, which revokes their direct
 * assignments and group grants. The edit names the version it started from: a stale one is refused
 * rather than silently overwriting someone else's change.
 */
export async function updateApp(ctx: Ctx, input: unknown): Promise<{ version: number }> {
  const p = parse(updateAppSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'asset.change', { appKey: p.appKey })
    const chosen = await chosenStages(tx, p.stageKeys)
    const app = await lockApp(tx, p.appKey)
    if (app.version !== p.version) throw new ConflictError(staleMessage('app'))
    const change = await stagesChange(tx, app.key, chosen)
    const before = { name: app.name, description: app.description, stages: stageCodes(change.current) }
    const after = { name: p.name, description: p.description, stages: stageCodes(chosen) }
    const changed = diff(before, after)
    if (Object.keys(changed.after).length === 0) return { version: app.version }
    if (p.name !== app.name) await refuseDuplicateAppName(tx, p.name, app.key)

    if (change.removed.length) {
      const removedKeys = change.removed.map((s) => s.key)
      const gone = and(eq(appRoleInstances.appKey, app.key), inArray(appRoleInstances.stageKey, removedKeys))!
      await removingInstances(tx, gone, async () => {
        await tx.delete(appRoleInstances).where(gone)
        await tx.delete(appStages).where(and(eq(appStages.appKey, app.key), inArray(appStages.stageKey, removedKeys)))
      })
    }
    if (change.added.length) {
      const addedKeys = change.added.map((s) => s.key)
      await tx.insert(appStages).values(addedKeys.map((stageKey) => ({ appKey: app.key, stageKey })))
      // One instance of every existing role in each new stage, in one statement.
      await tx.execute(sql`
        insert into app_role_instances (app_role_key, app_key, stage_key)
        select r.key, r.app_key, s.key from app_roles r cross join stages s
        where r.app_key = ${app.key} and s.key in (${sql.join(addedKeys.map((k) => sql`${k}::uuid`), sql`, `)})`)
    }
    const [{ version }] = await tx
      .update(apps)
      .set({ name: p.name, description: p.description, version: app.version + 1, updatedAt: nowOf(ctx) })
      .where(eq(apps.key, app.key))
      .returning({ version: apps.version })
    await audit(tx, ctx, {
      action: 'app.updated',
      target: { type: 'app', key: app.key, label: p.name },
      ...changed,
      details: change.removed.length || change.added.length ? { impact: auditImpact(change) } : undefined,
    })
    return { version }
  })
}

function auditImpact(change: StagesChange) {
  return {
    stagesRemoved: stageCodes(change.removed),
    stagesAdded: stageCodes(change.added),
    instancesCreated: change.instancesToCreate,
    usersLosingRoles: change.impact.users,
    groupsLosingRoles: change.impact.groups,
    byStage: change.impact.stages.map((s) => ({ stage: s.stageCode, users: s.users, groups: s.groups })),
  }
}
