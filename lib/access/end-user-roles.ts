import 'server-only'
import { and, eq, inArray, type SQL } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { appRoleInstances, appRoles, apps, endUserRoleAssignments, groupMembers, groupRoles, groups, stages } from '@/db/schema'
import type { Holding } from '../authz/end-user-roles'

const columns = {
  instanceKey: appRoleInstances.key,
  appRoleKey: appRoles.key,
  roleName: appRoles.name,
  appKey: apps.key,
  appName: apps.name,
  stageKey: stages.key,
  stageCode: stages.code,
}

/**
 * Every application role a user holds, directly and through each group, in two queries. `where`
 * narrows to some apps or stages (on app_role_instances' columns).
 */
export async function loadHoldings(tx: Tx, userKey: string, where?: SQL): Promise<Holding[]> {
  return (await loadHoldingsOfUsers(tx, [userKey], where)).get(userKey) ?? []
}

/** A holding with its role's claim name, as the REST API shows roles. */
export type UserHolding = Holding & { claim: string | null }

/**
 * loadHoldings for a page of users at once (no query per user): the same two queries, keyed by
 * user. Users holding nothing are absent from the map.
 */
export async function loadHoldingsOfUsers(tx: Tx, userKeys: string[], where?: SQL): Promise<Map<string, UserHolding[]>> {
  const out = new Map<string, UserHolding[]>()
  if (!userKeys.length) return out
  const direct = await tx
    .select({ ...columns, claim: appRoles.claimName, userKey: endUserRoleAssignments.userKey })
    .from(endUserRoleAssignments)
    .innerJoin(appRoleInstances, eq(appRoleInstances.key, endUserRoleAssignments.instanceKey))
    .innerJoin(appRoles, eq(appRoles.key, appRoleInstances.appRoleKey))
    .innerJoin(apps, eq(apps.key, appRoleInstances.appKey))
    .innerJoin(stages, eq(stages.key, appRoleInstances.stageKey))
    .where(and(inArray(endUserRoleAssignments.userKey, userKeys), where))
  const viaGroups = await tx
    .select({ ...columns, claim: appRoles.claimName, userKey: groupMembers.userKey, groupKey: groups.key, groupName: groups.name, membershipType: groupMembers.type })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.key, groupMembers.groupKey))
    .innerJoin(groupRoles, eq(groupRoles.groupKey, groups.key))
    .innerJoin(appRoleInstances, eq(appRoleInstances.key, groupRoles.instanceKey))
    .innerJoin(appRoles, eq(appRoles.key, appRoleInstances.appRoleKey))
    .innerJoin(apps, eq(apps.key, appRoleInstances.appKey))
    .innerJoin(stages, eq(stages.key, appRoleInstances.stageKey))
    .where(and(inArray(groupMembers.userKey, userKeys), where))
  const add = (userKey: string, h: UserHolding) => out.set(userKey, [...(out.get(userKey) ?? []), h])
  for (const { userKey, ...r } of direct) add(userKey, { ...r, source: { type: 'Direct' } })
  for (const { userKey, groupKey, groupName, membershipType, ...r } of viaGroups) add(userKey, { ...r, source: { type: 'Group', groupKey, groupName, membershipType } })
  return out
}

export const forApps = (appKeys: string[]) => inArray(appRoleInstances.appKey, appKeys)
