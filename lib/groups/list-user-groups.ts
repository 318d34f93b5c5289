import 'server-only'
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { appRoleInstances, appRoles, apps, groupMembers, groupRoles, groups, stages, users, type GroupMembershipType } from '@/db/schema'
import { withTransaction, type Ctx } from '../context'
import { NotFoundError } from '../errors'
import { parse } from '../validation'
import { requireSomeStage } from './access'
import { listUserGroupsSchema } from './schemas'

export type UserGroup = {
  key: string
  name: string
  stageKey: string
  stageCode: string
  /** Assigned when an administrator or the API added them (removable), else Mapped. */
  type: GroupMembershipType
  /** Every way they are in it: a user can be both Assigned and Mapped. */
  types: GroupMembershipType[]
  roles: Array<{ instanceKey: string; appName: string; roleName: string }>
}

/**
 * The groups a user is in, with the roles each grants them (for the user page's Groups and
 * End-user access tabs). Only groups in stages where the actor holds endusers.view are listed.
 */
export async function listUserGroups(ctx: Ctx, input: unknown): Promise<UserGroup[]> {
  const { userKey } = parse(listUserGroupsSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const visible = await requireSomeStage(tx, ctx, 'endusers.view', 'see end-user groups')
    const [user] = await tx.select({ key: users.key }).from(users).where(eq(users.key, userKey))
    if (!user) throw new NotFoundError('The user')
    const memberships = await tx
      .select({ key: groups.key, name: groups.name, stageKey: groups.stageKey, stageCode: stages.code, type: groupMembers.type })
      .from(groupMembers)
      .innerJoin(groups, eq(groups.key, groupMembers.groupKey))
      .innerJoin(stages, eq(stages.key, groups.stageKey))
      .where(and(eq(groupMembers.userKey, userKey), inArray(groups.stageKey, visible.map((s) => s.key))))
      .orderBy(asc(stages.position), asc(sql`lower(${groups.name})`), asc(groups.key))
    const byGroup = new Map<string, UserGroup>()
    for (const m of memberships) {
      const g = byGroup.get(m.key) ?? { key: m.key, name: m.name, stageKey: m.stageKey, stageCode: m.stageCode, type: m.type, types: [], roles: [] }
      g.types.push(m.type)
      g.type = g.types.includes('Assigned') ? 'Assigned' : 'Mapped'
      byGroup.set(m.key, g)
    }
    const keys = [...byGroup.keys()]
    if (keys.length === 0) return []
    const roles = await tx
      .select({ groupKey: groupRoles.groupKey, instanceKey: appRoleInstances.key, appName: apps.name, roleName: appRoles.name })
      .from(groupRoles)
      .innerJoin(appRoleInstances, eq(appRoleInstances.key, groupRoles.instanceKey))
      .innerJoin(appRoles, eq(appRoles.key, appRoleInstances.appRoleKey))
      .innerJoin(apps, eq(apps.key, appRoleInstances.appKey))
      .where(inArray(groupRoles.groupKey, keys))
      .orderBy(asc(sql`lower(${apps.name})`), asc(sql`lower(${appRoles.name})`))
    for (const r of roles) byGroup.get(r.groupKey)!.roles.push({ instanceKey: r.instanceKey, appName: r.appName, roleName: r.roleName })
    return [...byGroup.values()]
  })
}
