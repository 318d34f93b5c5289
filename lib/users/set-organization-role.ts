import 'server-only'
import { and, eq, isNull } from 'drizzle-orm'
import { roleAssignments, roles } from '@/db/schema'
import { audit } from '../audit/record'
import { requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { ValidationError } from '../errors'
import { parse } from '../validation'
import { findUserForUpdate, refreshMembership, refuseLastAdministrator, refuseSelf } from './guards'
import { setOrganizationRoleSchema } from './schemas'

/**
 * Sets the user's one organization-scope role, replacing the previous one, or removes it ("No
 * role"). Nobody changes their own role, and the last administrator keeps theirs (AUTHZ-6).
 */
export async function setOrganizationRole(ctx: Ctx, input: unknown): Promise<void> {
  const { userKey, roleKey } = parse(setOrganizationRoleSchema, input)
  await withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_member_access')
    refuseSelf(ctx, userKey, 'change the organization role of')
    const user = await findUserForUpdate(tx, userKey)
    const [current] = await tx
      .select({ key: roleAssignments.key, roleKey: roleAssignments.roleKey, roleName: roles.name })
      .from(roleAssignments)
      .innerJoin(roles, eq(roles.key, roleAssignments.roleKey))
      .where(and(eq(roleAssignments.userKey, userKey), isNull(roleAssignments.appKey)))
    if ((current?.roleKey ?? null) === roleKey) return
    let next: { key: string; name: string } | undefined
    if (roleKey) {
      ;[next] = await tx.select({ key: roles.key, name: roles.name }).from(roles).where(eq(roles.key, roleKey))
      if (!next) throw new ValidationError('Choose an existing role.', { roleKey: ['That role no longer exists. Reload and choose again.'] })
    }
    if (current) await refuseLastAdministrator(tx, userKey, nowOf(ctx), 'change the role of')
    if (current) await tx.delete(roleAssignments).where(eq(roleAssignments.key, current.key))
    if (next) await tx.insert(roleAssignments).values({ userKey, roleKey: next.key, createdAt: nowOf(ctx) })
    await refreshMembership(tx, userKey)
    await audit(tx, ctx, {
      action: 'member.organization_role_changed',
      target: { type: 'user', key: userKey, label: user.email ?? user.name },
      before: { organizationRole: current?.roleName ?? null },
      after: { organizationRole: next?.name ?? null },
    })
  })
}
