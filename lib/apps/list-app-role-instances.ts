import 'server-only'
import { and, asc, eq, sql } from 'drizzle-orm'
import { appRoleInstances, appRoles, apps, stages } from '@/db/schema'
import { catalogueFor, checkPermission, principalFor } from '../authz'
import { holdsAnywhere } from '../authz/evaluate'
import { nowOf, withTransaction, type Ctx } from '../context'
import { ForbiddenError } from '../errors'
import { parse } from '../validation'
import { listAppRoleInstancesSchema } from './schemas'

export type RoleInstance = {
  instanceKey: string
  appKey: string
  appName: string
  /** The role's key, its externalKey (shared by its instances in every stage). */
  roleKey: string
  roleName: string
  stageKey: string
  stageCode: string
}

export type AppRoleInstances = {
  appKey: string
  appName: string
  /** Stages with at least one visible instance, in stage order. */
  stages: Array<{ key: string; code: string }>
  /** By role name, then stage order. */
  instances: RoleInstance[]
}

/**
 * Every application role instance the actor may see, grouped by app (apps by name): the building
 * block of the end-user access grid and a group's roles tab. Optionally one app and/or one stage.
 *
 * An instance is visible with asset.open on its app, or with endusers.view for its app in its
 * stage (a stage-limited View end-users sees that stage only). A member with neither permission
 * anywhere is refused; one whose permissions cover none of the asked instances gets an empty list.
 */
export async function listAppRoleInstances(ctx: Ctx, input: unknown = {}): Promise<AppRoleInstances[]> {
  const { appKey, stageKey } = parse(listAppRoleInstancesSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const system = ctx.actor?.type === 'system'
    if (!system) {
      const principal = await principalFor(tx, ctx)
      const catalogue = await catalogueFor(tx, ctx)
      const now = nowOf(ctx)
      if (!holdsAnywhere(principal, catalogue, 'endusers.view', now) && !holdsAnywhere(principal, catalogue, 'asset.open', now))
        throw new ForbiddenError('You do not have permission to see application roles.')
    }
    const rows = await tx
      .select({
        instanceKey: appRoleInstances.key,
        appKey: apps.key,
        appName: apps.name,
        roleKey: appRoles.key,
        roleName: appRoles.name,
        stageKey: stages.key,
        stageCode: stages.code,
      })
      .from(appRoleInstances)
      .innerJoin(appRoles, eq(appRoles.key, appRoleInstances.appRoleKey))
      .innerJoin(apps, eq(apps.key, appRoleInstances.appKey))
      .innerJoin(stages, eq(stages.key, appRoleInstances.stageKey))
      .where(and(appKey ? eq(appRoleInstances.appKey, appKey) : undefined, stageKey ? eq(appRoleInstances.stageKey, stageKey) : undefined))
      .orderBy(asc(sql`lower(${apps.name})`), asc(apps.key), asc(sql`lower(${appRoles.name})`), asc(appRoles.key), asc(stages.position))

    // Decisions are in memory once the principal is loaded; cache them per app and per app × stage.
    const seen = new Map<string, boolean>()
    const allowed = async (slug: string, target: { appKey: string; stageKey?: string }) => {
      const id = `${slug}|${target.appKey}|${target.stageKey ?? ''}`
      let ok = seen.get(id)
      if (ok === undefined) {
        const d = await checkPermission(tx, ctx, slug, target)
        ok = d === 'system' || d.allowed
        seen.set(id, ok)
      }
      return ok
    }
    const byApp = new Map<string, AppRoleInstances>()
    for (const r of rows) {
      const visible = (await allowed('asset.open', { appKey: r.appKey })) || (await allowed('endusers.view', { appKey: r.appKey, stageKey: r.stageKey }))
      if (!visible) continue
      let app = byApp.get(r.appKey)
      if (!app) byApp.set(r.appKey, (app = { appKey: r.appKey, appName: r.appName, stages: [], instances: [] }))
      app.instances.push(r)
    }
    const order = new Map((await tx.select({ key: stages.key, code: stages.code }).from(stages).orderBy(asc(stages.position))).map((s, i) => [s.key, { ...s, i }]))
    for (const app of byApp.values()) {
      const keys = new Set(app.instances.map((i) => i.stageKey))
      app.stages = [...keys].map((k) => order.get(k)!).sort((a, b) => a.i - b.i).map(({ key, code }) => ({ key, code }))
    }
    return [...byApp.values()]
  })
}
