import 'server-only'
import { and, eq, isNull } from 'drizzle-orm'
import { apps, roleAssignments, roles } from '@/db/schema'
import { audit, diff } from '../audit/record'
import { requirePermission } from '../authz'
import { periodState } from '../authz/evaluate'
import { nowOf, withTransaction, type Ctx } from '../context'
import { NotFoundError, ValidationError } from '../errors'
import { administratorRoleKey, findUserForUpdate, refreshMembership, refuseLastAdministrator, refuseSelf } from '../users/guards'
import { parse } from '../validation'
import { setRoleGrantSchema } from './schemas'

const iso = (d: Date | null) => (d ? d.toISOString() : null)

/**
 * Grants a user an organization role at one scope (ROLE-4): at organization scope (the one role
 * that applies to every app; a new one replaces the old) or for one app (at most one per app).
 * An empty role removes the grant at that scope. A grant period limits when it confers anything;
 * outside it the grant is kept but shown as scheduled or expired, and no job is needed for that.
 * Nobody changes their own grants, and the last active administrator keeps theirs (AUTHZ-6).
 */
export async function setRoleGrant(ctx: Ctx, input: unknown): Promise<void> {
  const { userKey, appKey, roleKey, startsAt, endsAt } = parse(setRoleGrantSchema, input)
  await withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_member_access')
    refuseSelf(ctx, userKey, 'change the roles of')
    const user = await findUserForUpdate(tx, userKey)
    let app: { key: string; name: string } | undefined
    if (appKey) {
      ;[app] = await tx.select({ key: apps.key, name: apps.name }).from(apps).where(eq(apps.key, appKey))
      if (!app) throw new NotFoundError('The app')
    }
    const [current] = await tx
      .select({ key: roleAssignments.key, roleKey: roleAssignments.roleKey, roleName: roles.name, startsAt: roleAssignments.startsAt, endsAt: roleAssignments.endsAt })
      .from(roleAssignments)
      .innerJoin(roles, eq(roles.key, roleAssignments.roleKey))
      .where(and(eq(roleAssignments.userKey, userKey), appKey ? eq(roleAssignments.appKey, appKey) : isNull(roleAssignments.appKey)))
    let next: { key: string; name: string } | undefined
    if (roleKey) {
      ;[next] = await tx.select({ key: roles.key, name: roles.name }).from(roles).where(eq(roles.key, roleKey))
      if (!next) throw new ValidationError('Choose an existing role.', { roleKey: ['That role no longer exists. Reload and choose again.'] })
    }
    const describe = (g: { roleName: string; startsAt: Date | null; endsAt: Date | null } | null) => {
      const role = appKey ? { appRole: g?.roleName ?? null } : { organizationRole: g?.roleName ?? null }
      return { ...role, startsAt: iso(g?.startsAt ?? null), endsAt: iso(g?.endsAt ?? null) }
    }
    const before = describe(current ?? null)
    const after = describe(next ? { roleName: next.name, startsAt, endsAt } : null)
    if (JSON.stringify(before) === JSON.stringify(after) && (current?.roleKey ?? null) === (next?.key ?? null)) return

    const now = nowOf(ctx)
    if (!appKey && current) {
      // Only a change that leaves them without an active Administrator grant can strip the last one.
      const staysAdministrator = next?.key === (await administratorRoleKey(tx)) && periodState({ startsAt, endsAt }, now) === 'active'
      if (!staysAdministrator) await refuseLastAdministrator(tx, userKey, now, 'change the role of')
    }
    if (current && next) {
      await tx.update(roleAssignments).set({ roleKey: next.key, startsAt, endsAt }).where(eq(roleAssignments.key, current.key))
    } else if (current) {
      await tx.delete(roleAssignments).where(eq(roleAssignments.key, current.key))
    } else if (next) {
      await tx.insert(roleAssignments).values({ userKey, roleKey: next.key, appKey, startsAt, endsAt, createdAt: now })
    }
    await refreshMembership(tx, userKey)
    await audit(tx, ctx, {
      action: appKey ? 'member.app_role_changed' : 'member.organization_role_changed',
      target: { type: 'user', key: userKey, label: user.email ?? user.name },
      ...(appKey ? { details: { app: { key: app!.key, name: app!.name } } } : {}),
      ...diff(before, after),
    })
  })
}
