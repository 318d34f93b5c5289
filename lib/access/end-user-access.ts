import 'server-only'
import { and, asc, eq, gt, ilike, inArray, or, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Tx } from '@/db/client'
import { appRoleInstances, appRoles, appStages, apps, endUserRoleAssignments, groupMembers, groupRoles, stages, users } from '@/db/schema'
import { audit } from '../audit/record'
import { checkPermission, hasPermission, heldSomewhere, requirePermission } from '../authz'
import { mergeHoldings } from '../authz/end-user-roles'
import { withTransaction, type Ctx } from '../context'
import { ForbiddenError, NotFoundError, ValidationError } from '../errors'
import { requireCanSeeUser, seesEndUsersIn } from '../users/visibility'
import { escapeLike, parse, uuidSchema } from '../validation'
import { refreshEndUserFlag } from './end-user-flag'
import { forApps, loadHoldings } from './end-user-roles'
import { setEndUserRolesSchema } from './schemas'

export const APPS_PER_PAGE = 20

export type GridCell = { instanceKey: string; direct: boolean; viaGroups: Array<{ key: string; name: string }>; editable: boolean; hidden: boolean }
export type GridRole = { appRoleKey: string; name: string; description: string; cells: Record<string, GridCell> }
export type GridApp = { key: string; name: string; stageKeys: string[]; roles: GridRole[] }
export type EndUserAccess = {
  userKey: string
  stages: Array<{ key: string; code: string; name: string }>
  apps: GridApp[]
  next: string | null
  /** Whether the viewer may change anything on this page at all. */
  editable: boolean
}

const gridInput = z.strictObject({
  userKey: uuidSchema,
  q: z.string().trim().max(100).optional().default(''),
  after: z.string().max(300).optional(),
})

/**
 * The End-user access tab (EUR-1): apps × stages, each cell a role instance with whether the user
 * holds it directly and which groups grant it. Apps come a page at a time, in name order.
 */
export async function getEndUserAccess(ctx: Ctx, input: unknown): Promise<EndUserAccess> {
  const { userKey, q, after } = parse(gridInput, input)
  return withTransaction(ctx, async (tx, ctx) => {
    if (!heldSomewhere(await checkPermission(tx, ctx, 'endusers.view')) && !(await hasPermission(tx, ctx, 'users.manage')))
      throw new ForbiddenError('You do not have permission to see end-user access.')
    const [user] = await tx.select({ key: users.key, isMember: users.isMember, isEndUser: users.isEndUser }).from(users).where(eq(users.key, userKey))
    if (!user) throw new NotFoundError('The user')
    await requireCanSeeUser(tx, ctx, user)
    const stageRows = await tx.select({ key: stages.key, code: stages.code, name: stages.name }).from(stages).orderBy(asc(stages.position))
    let cursor: { name: string; key: string } | null = null
    if (after) {
      try {
        cursor = z.object({ name: z.string(), key: uuidSchema }).parse(JSON.parse(Buffer.from(after, 'base64url').toString()))
      } catch {
        cursor = null
      }
    }
    const appRows = await tx
      .select({ key: apps.key, name: apps.name, sortName: sql<string>`lower(${apps.name})` })
      .from(apps)
      .where(
        and(
          q ? ilike(apps.name, `%${escapeLike(q)}%`) : undefined,
          cursor ? or(gt(sql`lower(${apps.name})`, cursor.name), and(eq(sql`lower(${apps.name})`, cursor.name), gt(apps.key, cursor.key))) : undefined,
        ),
      )
      .orderBy(sql`lower(${apps.name})`, apps.key)
      .limit(APPS_PER_PAGE + 1)
    const page = appRows.slice(0, APPS_PER_PAGE)
    const last = page.at(-1)
    const next = appRows.length > APPS_PER_PAGE && last ? Buffer.from(JSON.stringify({ name: last.sortName, key: last.key })).toString('base64url') : null
    const appKeys = page.map((a) => a.key)
    if (appKeys.length === 0) return { userKey, stages: stageRows, apps: [], next: null, editable: false }

    const deployed = await tx.select().from(appStages).where(inArray(appStages.appKey, appKeys))
    const instances = await tx
      .select({ key: appRoleInstances.key, appKey: appRoleInstances.appKey, stageKey: appRoleInstances.stageKey, appRoleKey: appRoles.key, name: appRoles.name, description: appRoles.description })
      .from(appRoleInstances)
      .innerJoin(appRoles, eq(appRoles.key, appRoleInstances.appRoleKey))
      .where(inArray(appRoleInstances.appKey, appKeys))
      .orderBy(asc(appRoles.name))
    const held = new Map(mergeHoldings(await loadHoldings(tx, userKey, forApps(appKeys))).map((h) => [h.instanceKey, h]))
    // One permission check per app and stage, not per cell: the evaluator answers from memory.
    // Cells of stages (or apps) the viewer may not see end-users in are hidden, not just read-only.
    const editableIn = new Map<string, boolean>()
    const visibleIn = new Map<string, boolean>()
    for (const d of deployed) {
      const target = { appKey: d.appKey, stageKey: d.stageKey }
      editableIn.set(`${d.appKey}/${d.stageKey}`, await hasPermission(tx, ctx, 'endusers.manage_access', target))
      visibleIn.set(`${d.appKey}/${d.stageKey}`, await seesEndUsersIn(tx, ctx, target))
    }

    const result: GridApp[] = page.map((a) => {
      const roles = new Map<string, GridRole>()
      for (const i of instances.filter((i) => i.appKey === a.key)) {
        const role = roles.get(i.appRoleKey) ?? { appRoleKey: i.appRoleKey, name: i.name, description: i.description, cells: {} }
        if (!visibleIn.get(`${a.key}/${i.stageKey}`)) {
          role.cells[i.stageKey] = { instanceKey: i.key, direct: false, viaGroups: [], editable: false, hidden: true }
          roles.set(i.appRoleKey, role)
          continue
        }
        const h = held.get(i.key)
        role.cells[i.stageKey] = {
          hidden: false,
          instanceKey: i.key,
          direct: h?.sources.some((s) => s.type === 'Direct') ?? false,
          viaGroups: (h?.sources ?? []).flatMap((s) => (s.type === 'Group' ? [{ key: s.groupKey, name: s.groupName }] : [])),
          editable: editableIn.get(`${a.key}/${i.stageKey}`) ?? false,
        }
        roles.set(i.appRoleKey, role)
      }
      return { key: a.key, name: a.name, stageKeys: deployed.filter((d) => d.appKey === a.key).map((d) => d.stageKey), roles: [...roles.values()] }
    })
    return { userKey, stages: stageRows, apps: result, next, editable: [...editableIn.values()].some(Boolean) }
  })
}

type Known = { key: string; appKey: string; stageKey: string; roleName: string; appName: string; stageCode: string }

/**
 * What saving the grid would change: direct roles of the given apps to add and to remove. Roles in
 * stages the actor may not see are not on their grid, so leaving them out does not remove them.
 */
async function planDirectRoles(tx: Tx, ctx: Ctx, userKey: string, appKeys: string[], instanceKeys: string[]): Promise<{ byKey: Map<string, Known>; added: string[]; removed: string[] }> {
  const known = await tx
    .select({ key: appRoleInstances.key, appKey: appRoleInstances.appKey, stageKey: appRoleInstances.stageKey, roleName: appRoles.name, appName: apps.name, stageCode: stages.code })
    .from(appRoleInstances)
    .innerJoin(appRoles, eq(appRoles.key, appRoleInstances.appRoleKey))
    .innerJoin(apps, eq(apps.key, appRoleInstances.appKey))
    .innerJoin(stages, eq(stages.key, appRoleInstances.stageKey))
    .where(inArray(appRoleInstances.appKey, appKeys))
  const byKey = new Map(known.map((k) => [k.key, k]))
  if (instanceKeys.some((k) => !byKey.has(k)))
    throw new ValidationError('Some roles no longer exist or belong to another app. Reload and try again.', { instanceKeys: ['Reload the page: the roles have changed.'] })
  const current = await tx
    .select({ instanceKey: endUserRoleAssignments.instanceKey })
    .from(endUserRoleAssignments)
    .innerJoin(appRoleInstances, eq(appRoleInstances.key, endUserRoleAssignments.instanceKey))
    .where(and(eq(endUserRoleAssignments.userKey, userKey), forApps(appKeys)))
  const wanted = new Set(instanceKeys)
  const has = new Set(current.map((c) => c.instanceKey))
  const added = [...wanted].filter((k) => !has.has(k))
  const removed: string[] = []
  for (const k of has) if (!wanted.has(k) && (await seesEndUsersIn(tx, ctx, byKey.get(k)!))) removed.push(k)
  return { byKey, added, removed }
}

const requireSomeEndUserAccess = async (tx: Tx, ctx: Ctx) => {
  // Each role changed is checked for its own app and stage; this refuses early whoever holds it nowhere.
  if (!heldSomewhere(await checkPermission(tx, ctx, 'endusers.manage_access'))) throw new ForbiddenError('You do not have permission to change end-user access.')
}

/**
 * The end-user roles a grid save would take away: direct roles unticked that no group of the user
 * still grants. Roles still granted by a group are not a loss.
 */
export async function previewEndUserRoles(ctx: Ctx, input: unknown): Promise<{ losses: string[] }> {
  const { userKey, appKeys, instanceKeys } = parse(setEndUserRolesSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requireSomeEndUserAccess(tx, ctx)
    const { byKey, removed } = await planDirectRoles(tx, ctx, userKey, appKeys, instanceKeys)
    if (removed.length === 0) return { losses: [] }
    const viaGroups = new Set(
      (
        await tx
          .select({ key: groupRoles.instanceKey })
          .from(groupMembers)
          .innerJoin(groupRoles, eq(groupRoles.groupKey, groupMembers.groupKey))
          .where(and(eq(groupMembers.userKey, userKey), inArray(groupRoles.instanceKey, removed)))
      ).map((r) => r.key),
    )
    return { losses: removed.filter((k) => !viaGroups.has(k)).map((k) => roleLabel(byKey.get(k)!)) }
  })
}

const roleLabel = (i: Known) => `${i.appName} · ${i.roleName} in ${i.stageCode}`

/**
 * Sets the user's direct application roles for the given apps to exactly `instanceKeys` (EUR-1).
 * Each role added or removed needs "Manage end-user access" for its app and stage; roles held
 * through groups are not touched here. Idempotent: saving an unchanged grid changes nothing.
 */
export async function setEndUserRoles(ctx: Ctx, input: unknown): Promise<{ added: number; removed: number }> {
  const { userKey, appKeys, instanceKeys } = parse(setEndUserRolesSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requireSomeEndUserAccess(tx, ctx)
    const [user] = await tx.select({ key: users.key, name: users.name, email: users.email }).from(users).where(eq(users.key, userKey)).for('update')
    if (!user) throw new NotFoundError('The user')
    const { byKey, added, removed } = await planDirectRoles(tx, ctx, userKey, appKeys, instanceKeys)
    if (added.length === 0 && removed.length === 0) return { added: 0, removed: 0 }
    for (const k of [...added, ...removed]) {
      const i = byKey.get(k)!
      await requirePermission(tx, ctx, 'endusers.manage_access', { appKey: i.appKey, stageKey: i.stageKey })
    }
    if (added.length) await tx.insert(endUserRoleAssignments).values(added.map((instanceKey) => ({ userKey, instanceKey })))
    if (removed.length) await tx.delete(endUserRoleAssignments).where(and(eq(endUserRoleAssignments.userKey, userKey), inArray(endUserRoleAssignments.instanceKey, removed)))
    await refreshEndUserFlag(tx, [userKey])
    const label = (k: string) => {
      const i = byKey.get(k)!
      return `${i.appName} · ${i.roleName} (${i.stageCode})`
    }
    await audit(tx, ctx, {
      action: 'enduser.roles_changed',
      target: { type: 'user', key: userKey, label: user.email ?? user.name },
      details: { added: added.map(label), removed: removed.map(label) },
    })
    return { added: added.length, removed: removed.length }
  })
}
