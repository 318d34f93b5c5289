import 'server-only'
import { asc, desc, eq, inArray, sql } from 'drizzle-orm'
import { appRoleInstances, appRoles, apps, groups, roles, stages } from '@/db/schema'
import { checkPermission, hasPermission, heldSomewhere } from '../authz'
import { withTransaction, type Ctx } from '../context'
import { ForbiddenError } from '../errors'

export type InviteOptions = {
  roles: Array<{ key: string; name: string; isReadOnly: boolean }>
  groups: Array<{ key: string; label: string }>
  endUserRoles: Array<{ key: string; label: string }>
  /** More groups or roles exist than the form lists. */
  truncated: boolean
}

const LIMIT = 300

/**
 * What the inviter may grant on the invitation form: organization roles (with "Manage member
 * access"), groups of the stages where they manage groups, and end-user roles of the apps and
 * stages where they manage end-user access. The invitation checks each choice again.
 */
export async function getInviteOptions(ctx: Ctx): Promise<InviteOptions> {
  return withTransaction(ctx, async (tx, ctx) => {
    const roleRows = (await hasPermission(tx, ctx, 'users.manage_member_access'))
      ? await tx.select({ key: roles.key, name: roles.name, isReadOnly: roles.isReadOnly }).from(roles).orderBy(desc(roles.isReadOnly), asc(roles.name)).limit(500)
      : []
    const stageRows = await tx.select({ key: stages.key, code: stages.code }).from(stages).orderBy(asc(stages.position))
    const groupStages: string[] = []
    for (const s of stageRows) if (await hasPermission(tx, ctx, 'endusers.manage_groups', { stageKey: s.key })) groupStages.push(s.key)
    const code = new Map(stageRows.map((s) => [s.key, s.code]))
    const groupRows = groupStages.length
      ? await tx.select({ key: groups.key, name: groups.name, stageKey: groups.stageKey }).from(groups).where(inArray(groups.stageKey, groupStages)).orderBy(sql`lower(${groups.name})`, groups.key).limit(LIMIT + 1)
      : []
    const instanceRows = await tx
      .select({ key: appRoleInstances.key, appKey: appRoleInstances.appKey, stageKey: appRoleInstances.stageKey, app: apps.name, role: appRoles.name })
      .from(appRoleInstances)
      .innerJoin(appRoles, eq(appRoles.key, appRoleInstances.appRoleKey))
      .innerJoin(apps, eq(apps.key, appRoleInstances.appKey))
      .orderBy(sql`lower(${apps.name})`, sql`lower(${appRoles.name})`)
      .limit(LIMIT * 3)
    const allowed = new Map<string, boolean>()
    const grantable = []
    for (const i of instanceRows) {
      const k = `${i.appKey}/${i.stageKey}`
      if (!allowed.has(k)) allowed.set(k, await hasPermission(tx, ctx, 'endusers.manage_access', { appKey: i.appKey, stageKey: i.stageKey }))
      if (allowed.get(k)) grantable.push({ key: i.key, label: `${i.app} · ${i.role} (${code.get(i.stageKey)})` })
    }
    if (roleRows.length === 0 && groupStages.length === 0 && !heldSomewhere(await checkPermission(tx, ctx, 'endusers.manage_access'))) throw new ForbiddenError('You do not have permission to invite anyone.')
    return {
      roles: roleRows,
      groups: groupRows.slice(0, LIMIT).map((g) => ({ key: g.key, label: `${g.name} (${code.get(g.stageKey)})` })),
      endUserRoles: grantable.slice(0, LIMIT),
      truncated: groupRows.length > LIMIT || grantable.length > LIMIT || instanceRows.length === LIMIT * 3,
    }
  })
}
