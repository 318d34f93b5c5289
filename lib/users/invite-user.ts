import 'server-only'
import { eq, inArray, sql } from 'drizzle-orm'
import { appRoleInstances, appRoles, apps, endUserRoleAssignments, groupMembers, groups, roleAssignments, roles, stages, userCredentials, users } from '@/db/schema'
import { refreshEndUserFlag } from '../access/end-user-flag'
import { audit } from '../audit/record'
import { requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { isUniqueViolation } from '../db-errors'
import { ConflictError, ValidationError } from '../errors'
import { kickMailDelivery } from '../mail/outbox'
import { parse } from '../validation'
import { issueInvitation } from './invitations'
import { inviteUserSchema } from './schemas'

export type InviteResult = { userKey: string; email: string; link: string; expiresAt: Date }

/**
 * Invites a person by email (AUTH-5) with what they will hold once they accept: an organization
 * role, end-user groups, application roles, or a mix. Each grant needs the permission that
 * governs it (groups and application roles per stage); the user stays Invited until they accept.
 */
export async function inviteUser(ctx: Ctx, input: unknown): Promise<InviteResult> {
  const data = parse(inviteUserSchema, input)
  try {
    const result = await withTransaction(ctx, async (tx, ctx) => {
      let role: { key: string; name: string } | undefined
      if (data.roleKey) {
        await requirePermission(tx, ctx, 'users.manage_member_access')
        ;[role] = await tx.select({ key: roles.key, name: roles.name }).from(roles).where(eq(roles.key, data.roleKey))
        if (!role) throw new ValidationError('Choose an existing role.', { roleKey: ['That role no longer exists. Reload and choose again.'] })
      }
      const groupRows = data.groupKeys.length
        ? await tx.select({ key: groups.key, name: groups.name, stageKey: groups.stageKey, stageCode: stages.code }).from(groups).innerJoin(stages, eq(stages.key, groups.stageKey)).where(inArray(groups.key, data.groupKeys))
        : []
      if (groupRows.length !== new Set(data.groupKeys).size) throw new ValidationError('Some groups no longer exist.', { groupKeys: ['Reload the page and choose the groups again.'] })
      for (const g of groupRows) await requirePermission(tx, ctx, 'endusers.manage_groups', { stageKey: g.stageKey })
      const instanceRows = data.instanceKeys.length
        ? await tx
            .select({ key: appRoleInstances.key, appKey: appRoleInstances.appKey, stageKey: appRoleInstances.stageKey, label: sql<string>`${apps.name} || ' · ' || ${appRoles.name} || ' (' || ${stages.code} || ')'` })
            .from(appRoleInstances)
            .innerJoin(appRoles, eq(appRoles.key, appRoleInstances.appRoleKey))
            .innerJoin(apps, eq(apps.key, appRoleInstances.appKey))
            .innerJoin(stages, eq(stages.key, appRoleInstances.stageKey))
            .where(inArray(appRoleInstances.key, data.instanceKeys))
        : []
      if (instanceRows.length !== new Set(data.instanceKeys).size) throw new ValidationError('Some end-user roles no longer exist.', { instanceKeys: ['Reload the page and choose the roles again.'] })
      for (const i of instanceRows) await requirePermission(tx, ctx, 'endusers.manage_access', { appKey: i.appKey, stageKey: i.stageKey })

      const [existing] = await tx.select({ key: users.key, status: users.status }).from(users).where(eq(sql`lower(${users.email})`, data.email))
      if (existing?.status === 'Invited')
        throw new ConflictError('This person has already been invited.', { email: ['Already invited. Open the user and choose “Resend invitation” to send a new code.'] })
      if (existing) throw new ConflictError('This person already has an account.', { email: ['Already has an account. Change their roles on their user page instead.'] })
      const now = nowOf(ctx)
      const [user] = await tx
        .insert(users)
        .values({ email: data.email, name: data.name, status: 'Invited', isMember: Boolean(role), createdAt: now, updatedAt: now })
        .returning({ key: users.key })
      await tx.insert(userCredentials).values({ userKey: user.key })
      if (role) await tx.insert(roleAssignments).values({ userKey: user.key, roleKey: role.key, createdAt: now })
      if (groupRows.length) await tx.insert(groupMembers).values(groupRows.map((g) => ({ groupKey: g.key, userKey: user.key, type: 'Assigned' as const, createdAt: now })))
      if (instanceRows.length) await tx.insert(endUserRoleAssignments).values(instanceRows.map((i) => ({ userKey: user.key, instanceKey: i.key, createdAt: now })))
      await refreshEndUserFlag(tx, [user.key])
      const { link, expiresAt } = await issueInvitation(tx, ctx, { key: user.key, email: data.email })
      await audit(tx, ctx, {
        action: role ? 'member.invited' : 'user.invited',
        target: { type: 'user', key: user.key, label: data.email },
        after: {
          email: data.email,
          name: data.name,
          status: 'Invited',
          organizationRole: role?.name ?? null,
          ...(groupRows.length ? { groups: groupRows.map((g) => `${g.name} (${g.stageCode})`) } : {}),
          ...(instanceRows.length ? { endUserRoles: instanceRows.map((i) => i.label) } : {}),
        },
      })
      return { userKey: user.key, email: data.email, link, expiresAt }
    })
    kickMailDelivery()
    return result
  } catch (e) {
    if (isUniqueViolation(e, 'users_email_unique')) throw new ConflictError('This person already has an account.', { email: ['Someone with this email already exists.'] })
    throw e
  }
}
