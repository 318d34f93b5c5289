import 'server-only'
import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { appRoleInstances, appRoles, apps, appStages, groupRoles, groups } from '@/db/schema'
import { refreshEndUserFlag } from '../access/end-user-flag'
import { audit } from '../audit/record'
import { nowOf, withTransaction, type Ctx } from '../context'
import { ValidationError } from '../errors'
import { parse } from '../validation'
import { checkVersion, groupFor, type GroupRow } from './access'
import { instancesOfGroup, memberCount, membersOf, roleLosses, usersLosing, type AffectedUser, type RoleLoss } from './impact'
import { previewGroupRolesSchema, setGroupRolesSchema } from './schemas'

/**
 * The named instances with their names, refusing any that is not a role of an app deployed in the
 * group's stage (a group only grants roles in its own stage, GRP-1).
 */
async function instancesInStage(tx: Tx, group: GroupRow, instanceKeys: string[]) {
  const unique = [...new Set(instanceKeys)]
  if (unique.length === 0) return []
  const found = await tx
    .select({ key: appRoleInstances.key, label: sql<string>`${apps.name} || ' · ' || ${appRoles.name}` })
    .from(appRoleInstances)
    .innerJoin(appRoles, eq(appRoles.key, appRoleInstances.appRoleKey))
    .innerJoin(apps, eq(apps.key, appRoleInstances.appKey))
    .innerJoin(appStages, and(eq(appStages.appKey, appRoleInstances.appKey), eq(appStages.stageKey, appRoleInstances.stageKey)))
    .where(and(inArray(appRoleInstances.key, unique), eq(appRoleInstances.stageKey, group.stageKey)))
  if (found.length !== unique.length)
    throw new ValidationError('Some fields need attention.', {
      instanceKeys: [`A group in ${group.stageCode} can only hold roles of apps deployed in ${group.stageCode}. Reload the page: a role may have been removed.`],
    })
  return found
}

export type GroupRolesImpact = { removed: RoleLoss[]; added: number; usersLosingAccess: number; firstUsers: AffectedUser[] }

/** What saving this set of roles would take away, before it is saved ("120 users lose Orders · Approver"). */
export async function previewGroupRoles(ctx: Ctx, input: unknown): Promise<GroupRolesImpact> {
  const { groupKey, instanceKeys } = parse(previewGroupRolesSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const group = await groupFor(tx, ctx, groupKey, { manage: true })
    await instancesInStage(tx, group, instanceKeys)
    const current = await instancesOfGroup(tx, groupKey)
    const wanted = new Set(instanceKeys)
    const removed = current.filter((k) => !wanted.has(k))
    const losing = await usersLosing(tx, groupKey, removed)
    return { removed: await roleLosses(tx, groupKey, removed), added: [...wanted].filter((k) => !current.includes(k)).length, usersLosingAccess: losing.total, firstUsers: losing.first }
  })
}

/** Sets exactly the roles the group grants its members (GRP-2); every member gains or loses them at once. */
export async function setGroupRoles(ctx: Ctx, input: unknown): Promise<{ version: number }> {
  const { groupKey, instanceKeys, version } = parse(setGroupRolesSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const group = await groupFor(tx, ctx, groupKey, { manage: true, lock: 'update' })
    checkVersion(group, version)
    const wanted = await instancesInStage(tx, group, instanceKeys)
    const current = await instancesOfGroup(tx, groupKey)
    const added = wanted.filter((w) => !current.includes(w.key))
    const removed = current.filter((k) => !wanted.some((w) => w.key === k))
    if (added.length === 0 && removed.length === 0) return { version: group.version }

    const losses = await roleLosses(tx, groupKey, removed)
    const losing = await usersLosing(tx, groupKey, removed, 0)
    if (removed.length) await tx.delete(groupRoles).where(and(eq(groupRoles.groupKey, groupKey), inArray(groupRoles.instanceKey, removed)))
    if (added.length) await tx.insert(groupRoles).values(added.map((a) => ({ groupKey, instanceKey: a.key })))
    // Whether the group grants anything changed only if it went from none to some or back; then
    // every member's flag may change. Recomputing it is one statement whatever the group's size.
    if (current.length === 0 || wanted.length === 0) await refreshEndUserFlag(tx, membersOf(groupKey))
    const [updated] = await tx
      .update(groups)
      .set({ version: sql`${groups.version} + 1`, updatedAt: nowOf(ctx) })
      .where(eq(groups.key, groupKey))
      .returning({ version: groups.version })
    await audit(tx, ctx, {
      action: 'group.roles_changed',
      target: { type: 'group', key: groupKey, label: group.name },
      details: {
        stage: group.stageCode,
        added: added.map((a) => a.label).sort(),
        removed: losses.map((l) => `${l.appName} · ${l.roleName}`),
        counts: { members: await memberCount(tx, groupKey), usersLosingAccess: losing.total },
        rolesLost: losses.map((l) => ({ role: `${l.appName} · ${l.roleName}`, users: l.users })),
      },
    })
    return { version: updated.version }
  })
}
