import 'server-only'
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { appRoleInstances, appRoles, apps, endUserRoleAssignments, groupMembers, groupRoles, users } from '@/db/schema'

export type RoleLoss = { instanceKey: string; appName: string; roleName: string; users: number }
export type AffectedUser = { key: string; name: string; email: string | null }

/** The distinct users in a group (a user can be in it both Assigned and Mapped). */
export const membersOf = (groupKey: string): SQL => sql`select distinct ${groupMembers.userKey} from ${groupMembers} where ${groupMembers.groupKey} = ${groupKey}`

/**
 * Whether user `who` would lose instance `instance` if this group stopped granting it: they hold
 * it neither directly nor through another group (GRP-2: a user gets the union of every source).
 */
function losesCondition(groupKey: string, who: SQL, instance: SQL): SQL {
  return sql`not exists (select 1 from ${endUserRoleAssignments} d where d.user_key = ${who} and d.instance_key = ${instance})
    and not exists (
      select 1 from ${groupMembers} om join ${groupRoles} ogr on ogr.group_key = om.group_key
      where om.user_key = ${who} and ogr.instance_key = ${instance} and om.group_key <> ${groupKey}
    )`
}

/**
 * For each instance, how many members of the group would lose it if the group stopped granting it
 * (IMPACT: shown before the change, recorded in the audit event). One statement; the counts walk
 * the group's membership once per instance, so a group of 100 000 is a few index scans.
 */
export async function roleLosses(tx: Tx, groupKey: string, instanceKeys: string[]): Promise<RoleLoss[]> {
  if (instanceKeys.length === 0) return []
  const who = sql.raw('m.user_key')
  const instance = sql`${appRoleInstances.key}`
  const rows = await tx
    .select({
      instanceKey: appRoleInstances.key,
      appName: apps.name,
      roleName: appRoles.name,
      users: sql<number>`(select count(*)::int from (${membersOf(groupKey)}) m where ${losesCondition(groupKey, who, instance)})`,
    })
    .from(appRoleInstances)
    .innerJoin(appRoles, eq(appRoles.key, appRoleInstances.appRoleKey))
    .innerJoin(apps, eq(apps.key, appRoleInstances.appKey))
    .where(inArray(appRoleInstances.key, instanceKeys))
    .orderBy(asc(sql`lower(${apps.name})`), asc(sql`lower(${appRoles.name})`))
  return rows.map((r) => ({ ...r, users: Number(r.users) }))
}

/** Condition on users.key: a member of the group who would lose at least one of the instances. */
function losingAny(groupKey: string, instanceKeys: string[]): SQL {
  const list = sql.join(
    instanceKeys.map((k) => sql`${k}::uuid`),
    sql`, `,
  )
  const who = sql`${users.key}`
  return sql`${users.key} in (${membersOf(groupKey)}) and exists (
    select 1 from unnest(array[${list}]) as lost(instance_key) where ${losesCondition(groupKey, who, sql.raw('lost.instance_key'))}
  )`
}

/** How many members lose at least one of the instances, and the first of them by name. */
export async function usersLosing(tx: Tx, groupKey: string, instanceKeys: string[], limit = 20): Promise<{ total: number; first: AffectedUser[] }> {
  if (instanceKeys.length === 0) return { total: 0, first: [] }
  const condition = losingAny(groupKey, instanceKeys)
  const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(users).where(condition)
  const first = await tx
    .select({ key: users.key, name: users.name, email: users.email })
    .from(users)
    .where(condition)
    .orderBy(asc(sql`lower(${users.name})`), asc(users.key))
    .limit(limit)
  return { total: Number(n), first }
}

/** The instances a group grants now. */
export async function instancesOfGroup(tx: Tx, groupKey: string): Promise<string[]> {
  const rows = await tx.select({ key: groupRoles.instanceKey }).from(groupRoles).where(and(eq(groupRoles.groupKey, groupKey)))
  return rows.map((r) => r.key)
}

export async function memberCount(tx: Tx, groupKey: string): Promise<number> {
  const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(sql`(${membersOf(groupKey)}) m`)
  return Number(n)
}
