import 'server-only'
import { and, eq, gt, isNull } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { invitations, organizations, userCredentials, users } from '@/db/schema'
import { audit } from '../audit/record'
import type { PasswordPolicyMode } from '../auth/password-policy'
import { assertPasswordAllowed, hashPassword } from '../auth/passwords'
import { hashCode, sameHash, sha256 } from '../auth/tokens'
import { nowOf, withTransaction, type Ctx } from '../context'
import { ValidationError, NotFoundError } from '../errors'
import { parse } from '../validation'
import { INVITATION_CODE_ATTEMPTS } from './invitations'
import { acceptInvitationSchema } from './schemas'

const DEAD = 'This invitation is no longer valid. Ask an administrator to send a new one.'

async function openInvitation(tx: Tx, token: string, now: Date) {
  const [row] = await tx
    .select({ key: invitations.key, codeHash: invitations.codeHash, failedAttempts: invitations.failedAttempts, userKey: users.key, email: users.email, name: users.name, status: users.status })
    .from(invitations)
    .innerJoin(users, eq(users.key, invitations.userKey))
    .where(and(eq(invitations.tokenHash, sha256(token)), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)))
  return row && row.status === 'Invited' ? row : null
}

/** What the invitation page shows before the code is entered; nothing secret. */
export async function describeInvitation(ctx: Ctx, token: string): Promise<{ email: string; name: string; organization: string; passwordPolicy: PasswordPolicyMode } | null> {
  if (typeof token !== 'string' || token.length < 20 || token.length > 100) return null
  return withTransaction(ctx, async (tx, ctx) => {
    const row = await openInvitation(tx, token, nowOf(ctx))
    if (!row) return null
    const [org] = await tx.select({ name: organizations.name, passwordPolicy: organizations.passwordPolicy }).from(organizations).limit(1)
    return { email: row.email ?? '', name: row.name, organization: org?.name ?? 'Gatehouse', passwordPolicy: (org?.passwordPolicy ?? 'odc') as PasswordPolicyMode }
  })
}

/**
 * Accepting an invitation (AUTH-5): the code from the email and a password that meets the policy
 * make the user Active. Wrong codes are counted; the fifth kills the invitation.
 */
export async function acceptInvitation(ctx: Ctx, input: unknown): Promise<{ userKey: string; email: string }> {
  const data = parse(acceptInvitationSchema, input)
  const invitation = await withTransaction(ctx, async (tx, ctx) => {
    const now = nowOf(ctx)
    const row = await openInvitation(tx, data.token, now)
    if (!row) throw new NotFoundError('The invitation')
    const [locked] = await tx.select({ failedAttempts: invitations.failedAttempts }).from(invitations).where(eq(invitations.key, row.key)).for('update')
    if (locked.failedAttempts >= INVITATION_CODE_ATTEMPTS) throw new ValidationError(DEAD, { code: [DEAD] })
    if (!sameHash(row.codeHash, hashCode('invitation', data.code))) {
      const failed = locked.failedAttempts + 1
      await tx.update(invitations).set({ failedAttempts: failed, revokedAt: failed >= INVITATION_CODE_ATTEMPTS ? now : null }).where(eq(invitations.key, row.key))
      const message = failed >= INVITATION_CODE_ATTEMPTS ? DEAD : `That code is not right. ${INVITATION_CODE_ATTEMPTS - failed} attempt(s) left.`
      return { wrong: message }
    }
    const [org] = await tx.select({ passwordPolicy: organizations.passwordPolicy }).from(organizations).limit(1)
    assertPasswordAllowed(data.password, (org?.passwordPolicy ?? 'odc') as PasswordPolicyMode)
    return { row }
  })
  // A wrong code must be counted even though the request fails, so its transaction commits first.
  if ('wrong' in invitation) throw new ValidationError(invitation.wrong!, { code: [invitation.wrong!] })
  const passwordHash = await hashPassword(data.password)
  return withTransaction(ctx, async (tx, ctx) => {
    const now = nowOf(ctx)
    const row = await openInvitation(tx, data.token, now)
    if (!row || row.key !== invitation.row.key) throw new NotFoundError('The invitation')
    const name = data.name || row.name
    await tx.update(invitations).set({ acceptedAt: now }).where(eq(invitations.key, row.key))
    await tx.update(users).set({ status: 'Active', isEmailVerified: true, name, updatedAt: now }).where(eq(users.key, row.userKey))
    await tx
      .insert(userCredentials)
      .values({ userKey: row.userKey, passwordHash, passwordChangedAt: now })
      .onConflictDoUpdate({ target: userCredentials.userKey, set: { passwordHash, passwordChangedAt: now, failedAttempts: 0, lockedUntil: null } })
    const actorCtx: Ctx = { ...ctx, actor: { type: 'user', userKey: row.userKey, label: row.email ?? row.userKey } }
    await audit(tx, actorCtx, { action: 'member.invitation_accepted', target: { type: 'user', key: row.userKey, label: row.email }, before: { status: 'Invited' }, after: { status: 'Active', name } })
    return { userKey: row.userKey, email: row.email ?? '' }
  })
}
