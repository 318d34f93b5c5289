import 'server-only'
import { eq, sql } from 'drizzle-orm'
import { roleAssignments, roles, userCredentials, users } from '@/db/schema'
import { audit } from '../audit/record'
import { requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { isUniqueViolation } from '../db-errors'
import { ConflictError, ValidationError } from '../errors'
import { kickMailDelivery } from '../mail/outbox'
import { parse } from '../validation'
import { issueInvitation } from './invitations'
import { inviteMemberSchema } from './schemas'

export type InviteResult = { userKey: string; email: string; link: string; expiresAt: Date }

/** Invites a member by email with an organization role (AUTH-5); the user stays Invited until they accept. */
export async function inviteMember(ctx: Ctx, input: unknown): Promise<InviteResult> {
  const data = parse(inviteMemberSchema, input)
  try {
    const result = await withTransaction(ctx, async (tx, ctx) => {
      await requirePermission(tx, ctx, 'users.manage_member_access')
      const [role] = await tx.select({ key: roles.key, name: roles.name }).from(roles).where(eq(roles.key, data.roleKey!))
      if (!role) throw new ValidationError('Choose an existing role.', { roleKey: ['That role no longer exists. Reload and choose again.'] })
      const [existing] = await tx.select({ key: users.key, status: users.status }).from(users).where(eq(sql`lower(${users.email})`, data.email))
      if (existing?.status === 'Invited')
        throw new ConflictError('This person has already been invited.', { email: ['Already invited. Open the user and choose “Resend invitation” to send a new code.'] })
      if (existing) throw new ConflictError('This person already has an account.', { email: ['Already has an account. Change their roles on their user page instead.'] })
      const now = nowOf(ctx)
      const [user] = await tx
        .insert(users)
        .values({ email: data.email, name: data.name, status: 'Invited', isMember: true, createdAt: now, updatedAt: now })
        .returning({ key: users.key })
      await tx.insert(userCredentials).values({ userKey: user.key })
      await tx.insert(roleAssignments).values({ userKey: user.key, roleKey: role.key, createdAt: now })
      const { link, expiresAt } = await issueInvitation(tx, ctx, { key: user.key, email: data.email })
      await audit(tx, ctx, {
        action: 'member.invited',
        target: { type: 'user', key: user.key, label: data.email },
        after: { email: data.email, name: data.name, status: 'Invited', organizationRole: role.name },
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
