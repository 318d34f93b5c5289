import 'server-only'
import { and, asc, eq, sql } from 'drizzle-orm'
import { appRoleInstances, appRoles, apps, appStages, groupMembers, groupRoles } from '@/db/schema'
import { hasPermission } from '../authz'
import { withTransaction, type Ctx } from '../context'
import { parse } from '../validation'
import { groupFor } from './access'
import { groupKeySchema } from './schemas'

export type GroupRoleOption = { instanceKey: string; roleName: string; description: string; granted: boolean }
export type GroupAppRoles = { appKey: string; appName: string; roles: GroupRoleOption[] }

export type GroupDetail = {
  key: string
  name: string
  description: string
  version: number
  stage: { key: string; code: string; name: string }
  members: number
  /** Every app deployed in the group's stage with its roles there, the granted ones marked. */
  apps: GroupAppRoles[]
  granted: number
  /** What the viewer may do here; the use cases check again on submit. */
  can: { manage: boolean }
}

/** One group with its roles per app (UI-7), for members who may see its stage. */
export async function getGroup(ctx: Ctx, input: unknown): Promise<GroupDetail> {
  const { groupKey } = parse(groupKeySchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const group = await groupFor(tx, ctx, groupKey)
    const manage = await hasPermission(tx, ctx, 'endusers.manage_groups', { stageKey: group.stageKey })
    const options = await tx
      .select({
        appKey: apps.key,
        appName: apps.name,
        instanceKey: appRoleInstances.key,
        roleName: appRoles.name,
        description: appRoles.description,
        granted: sql<boolean>`${groupRoles.instanceKey} is not null`,
      })
      .from(appStages)
      .innerJoin(apps, eq(apps.key, appStages.appKey))
      .leftJoin(appRoleInstances, and(eq(appRoleInstances.appKey, appStages.appKey), eq(appRoleInstances.stageKey, appStages.stageKey)))
      .leftJoin(appRoles, eq(appRoles.key, appRoleInstances.appRoleKey))
      .leftJoin(groupRoles, and(eq(groupRoles.groupKey, groupKey), eq(groupRoles.instanceKey, appRoleInstances.key)))
      .where(eq(appStages.stageKey, group.stageKey))
      .orderBy(asc(sql`lower(${apps.name})`), asc(apps.key), asc(sql`lower(${appRoles.name})`))
    const byApp = new Map<string, GroupAppRoles>()
    for (const o of options) {
      const app = byApp.get(o.appKey) ?? { appKey: o.appKey, appName: o.appName, roles: [] }
      byApp.set(o.appKey, app)
      if (o.instanceKey && o.roleName !== null) app.roles.push({ instanceKey: o.instanceKey, roleName: o.roleName, description: o.description ?? '', granted: Boolean(o.granted) })
    }
    const [{ n: members }] = await tx.select({ n: sql<number>`count(distinct ${groupMembers.userKey})::int` }).from(groupMembers).where(eq(groupMembers.groupKey, groupKey))
    const [{ n: granted }] = await tx.select({ n: sql<number>`count(*)::int` }).from(groupRoles).where(eq(groupRoles.groupKey, groupKey))
    return {
      key: group.key,
      name: group.name,
      description: group.description,
      version: group.version,
      stage: { key: group.stageKey, code: group.stageCode, name: group.stageName },
      members: Number(members),
      apps: [...byApp.values()],
      granted: Number(granted),
      can: { manage },
    }
  })
}
