import 'server-only'
import { and, eq, inArray, isNull } from 'drizzle-orm'
import { appRoleInstances, appRoles, apps, endUserRoleAssignments, groupMembers, groupRoles, roleAssignments, rolePermissions, stages } from '@/db/schema'
import type { Tx } from '@/db/client'
import { catalogueFor, checkPermission, hasPermission, heldSomewhere, requirePermission } from '../authz'
import { permissionDefs } from '../authz/catalogue'
import { periodState } from '../authz/evaluate'
import type { Catalogue, GrantedPermission } from '../authz/model'
import { nowOf, withTransaction, type Ctx } from '../context'
import { coverageOf, lostCoverage, stageCodes, type Coverage } from '../roles/coverage'
import { ForbiddenError } from '../errors'
import { parse } from '../validation'
import { setEndUserRolesSchema, setRoleGrantSchema } from './schemas'

const slugByKey = new Map(permissionDefs.map((p) => [p.key, p.slug]))

async function permissionsOf(tx: Tx, roleKey: string | null): Promise<GrantedPermission[]> {
  if (!roleKey) return []
  const rows = await tx.select({ permissionKey: rolePermissions.permissionKey, stageKeys: rolePermissions.stageKeys }).from(rolePermissions).where(eq(rolePermissions.roleKey, roleKey))
  return rows.flatMap((r) => (slugByKey.has(r.permissionKey) ? [{ slug: slugByKey.get(r.permissionKey)!, stageKeys: r.stageKeys }] : []))
}

function union(a: Coverage, b: Coverage): Coverage {
  const out: Coverage = new Map(a)
  for (const [slug, stagesB] of b) {
    const stagesA = out.get(slug)
    out.set(slug, !out.has(slug) ? stagesB : stagesA === null || stagesB === null ? null : [...new Set([...stagesA!, ...stagesB])])
  }
  return out
}

function describe(lost: Coverage, catalogue: Catalogue, where: string): string[] {
  return [...lost].map(([slug, stageKeys]) => {
    const def = catalogue.permissions.get(slug)!
    const stagesText = stageKeys === null ? '' : ` in ${stageCodes(stageKeys, catalogue)!.join(', ')}`
    return `${def.category} · ${def.name}${stagesText}${where}`
  })
}

/**
 * What a user would lose if a role grant changed as proposed ("Impact before harm"): permissions
 * (with stages) the grant gives now and would not give after, less what their other grants still
 * give at that scope. Empty when the change only adds.
 */
export async function previewRoleGrant(ctx: Ctx, input: unknown): Promise<{ losses: string[] }> {
  const { userKey, appKey, roleKey, startsAt, endsAt } = parse(setRoleGrantSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_member_access')
    const catalogue = await catalogueFor(tx, ctx)
    const now = nowOf(ctx)
    const grants = await tx
      .select({ roleKey: roleAssignments.roleKey, appKey: roleAssignments.appKey, startsAt: roleAssignments.startsAt, endsAt: roleAssignments.endsAt })
      .from(roleAssignments)
      .where(and(eq(roleAssignments.userKey, userKey), appKey ? undefined : isNull(roleAssignments.appKey)))
    const active = (g: { startsAt: Date | null; endsAt: Date | null }) => periodState(g, now) === 'active'
    const current = grants.find((g) => g.appKey === appKey)
    const scope = appKey ? 'app' : 'organization'
    const before = current && active(current) ? coverageOf(await permissionsOf(tx, current.roleKey), catalogue, scope) : new Map()
    let after: Coverage = roleKey && active({ startsAt, endsAt }) ? coverageOf(await permissionsOf(tx, roleKey), catalogue, scope) : new Map()
    let where = ''
    if (appKey) {
      // The organization-scope role keeps applying to this app.
      const org = grants.find((g) => g.appKey === null)
      if (org && active(org)) after = union(after, coverageOf(await permissionsOf(tx, org.roleKey), catalogue, 'app'))
      const [app] = await tx.select({ name: apps.name }).from(apps).where(eq(apps.key, appKey))
      where = ` for ${app?.name ?? 'the app'}`
    }
    return { losses: describe(lostCoverage(before, after, [...catalogue.stages.keys()]), catalogue, where) }
  })
}

/**
 * The end-user roles a grid save would take away: direct roles unticked that no group of the user
 * still grants. Roles still granted by a group are not a loss.
 */
export async function previewEndUserRoles(ctx: Ctx, input: unknown): Promise<{ losses: string[] }> {
  const { userKey, appKeys, instanceKeys } = parse(setEndUserRolesSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    // The save checks each role it changes; here it is enough to hold the permission somewhere.
    if (!heldSomewhere(await checkPermission(tx, ctx, 'endusers.manage_access'))) throw new ForbiddenError('You do not have permission to change end-user access.')
    const wanted = new Set(instanceKeys)
    const direct = await tx
      .select({ key: appRoleInstances.key, appKey: appRoleInstances.appKey, stageKey: appRoleInstances.stageKey, label: appRoles.name, app: apps.name, stage: stages.code })
      .from(endUserRoleAssignments)
      .innerJoin(appRoleInstances, eq(appRoleInstances.key, endUserRoleAssignments.instanceKey))
      .innerJoin(appRoles, eq(appRoles.key, appRoleInstances.appRoleKey))
      .innerJoin(apps, eq(apps.key, appRoleInstances.appKey))
      .innerJoin(stages, eq(stages.key, appRoleInstances.stageKey))
      .where(and(eq(endUserRoleAssignments.userKey, userKey), inArray(appRoleInstances.appKey, appKeys)))
    // As the save does: roles in stages the actor may not see are not on their grid, so not removed.
    const removed = []
    for (const d of direct)
      if (!wanted.has(d.key) && ((await hasPermission(tx, ctx, 'endusers.view', { appKey: d.appKey, stageKey: d.stageKey })) || (await hasPermission(tx, ctx, 'users.manage')))) removed.push(d)
    if (removed.length === 0) return { losses: [] }
    const viaGroups = new Set(
      (
        await tx
          .select({ key: groupRoles.instanceKey })
          .from(groupMembers)
          .innerJoin(groupRoles, eq(groupRoles.groupKey, groupMembers.groupKey))
          .where(and(eq(groupMembers.userKey, userKey), inArray(groupRoles.instanceKey, removed.map((r) => r.key))))
      ).map((r) => r.key),
    )
    return { losses: removed.filter((r) => !viaGroups.has(r.key)).map((r) => `${r.app} · ${r.label} in ${r.stage}`) }
  })
}

