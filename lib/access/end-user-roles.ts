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
  const direct = await tx
    .select(columns)
    .from(endUserRoleAssignments)
    .innerJoin(appRoleInstances, eq(appRoleInstances.key, endUserRoleAssignments.instanceKey))
    .innerJoin(appRoles, eq(appRoles.key, appRoleInstances.appRoleKey))
    .innerJoin(apps, eq(apps.key, appRoleInstances.appKey))
    .innerJoin(stages, eq(stages.key, appRoleInstances.stageKey))
    .where(and(eq(endUserRoleAssignments.userKey, userKey), where))
  const viaGroups = await tx
    .select({ ...columns, groupKey: groups.key, groupName: groups.name, membershipType: groupMembers.type })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.key, groupMembers.groupKey))
    .innerJoin(groupRoles, eq(groupRoles.groupKey, groups.key))
    .innerJoin(appRoleInstances, eq(appRoleInstances.key, groupRoles.instanceKey))
    .innerJoin(appRoles, eq(appRoles.key, appRoleInstances.appRoleKey))
    .innerJoin(apps, eq(apps.key, appRoleInstances.appKey))
    .innerJoin(stages, eq(stages.key, appRoleInstances.stageKey))
    .where(and(eq(groupMembers.userKey, userKey), where))
  return [
    ...direct.map((r) => ({ ...r, source: { type: 'Direct' as const } })),
    ...viaGroups.map(({ groupKey, groupName, membershipType, ...r }) => ({ ...r, source: { type: 'Group' as const, groupKey, groupName, membershipType } })),
  ]
}

export const forApps = (appKeys: string[]) => inArray(appRoleInstances.appKey, appKeys)
