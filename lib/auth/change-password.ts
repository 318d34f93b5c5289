import 'server-only'
import { eq } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { sessions, stages, userCredentials, users } from '@/db/schema'
import { audit } from '../audit/record'
import { nowOf, withTransaction, type Ctx } from '../context'
import { ConflictError, ForbiddenError, UnauthenticatedError, ValidationError } from '../errors'
import { enqueueMail, kickMailDelivery } from '../mail/outbox'
import { passwordChangedMail } from '../mail/templates'
import { parse } from '../validation'
import { FREE_FAILURES, lockSeconds } from './lockout'
import { loadPasswordPlace, resetLinkFor } from './password-links'
import { changePasswordSchema } from './password-schemas'
import { assertPasswordAllowed, burnPasswordCheck, hashPassword, verifyPassword } from './passwords'
import { revokeUserSessions } from './sessions'

/** One answer for a wrong current password and a locked account, as at sign-in (AUTH-3). */
export const CURRENT_PASSWORD_REFUSED = 'The current password is not right, or the account is locked for a few minutes after too many attempts. Try again later.'

const refused = () => new ValidationError(CURRENT_PASSWORD_REFUSED, { currentPassword: [CURRENT_PASSWORD_REFUSED] })

type Me = { userKey: string; email: string | null; label: string; isMember: boolean; sessionIdHash?: string; stage: { key: string; code: string } | null }

/** The acting user, Active, and the stage of the session they act from (null on the portal). */
async function loadMe(tx: Tx, ctx: Ctx): Promise<Me> {
  const actor = ctx.actor
  if (actor?.type !== 'user') throw new UnauthenticatedError()
  const [user] = await tx.select({ key: users.key, email: users.email, status: users.status, isMember: users.isMember }).from(users).where(eq(users.key, actor.userKey))
  if (!user || user.status !== 'Active') throw new UnauthenticatedError('Your account is no longer active.')
  let stage: Me['stage'] = null
  if (actor.sessionIdHash) {
    ;[stage = null] = await tx.select({ key: stages.key, code: stages.code }).from(sessions).innerJoin(stages, eq(stages.key, sessions.stageKey)).where(eq(sessions.idHash, actor.sessionIdHash))
  }
  return { userKey: user.key, email: user.email, label: actor.label, isMember: user.isMember, sessionIdHash: actor.sessionIdHash, stage }
}

/**
 * The signed-in user changes their own password (UI-12 on the portal, HOST-1 on a stage). The
 * current password is required, and a wrong one counts toward the lockout exactly like a failed
 * sign-in: counted under a row lock before it is checked, so parallel guesses get no more than five
 * tries. The new password must meet the policy and differ from the current one. Every other session
 * of the user ends; the one in use stays. A member changes their password on the portal only: it is
 * also their portal credential.
 */
export async function changePassword(ctx: Ctx, input: unknown): Promise<{ sessionsEnded: number }> {
  const data = parse(changePasswordSchema, input)
  const attempt = await withTransaction(ctx, async (tx, ctx) => {
    const now = nowOf(ctx)
    const me = await loadMe(tx, ctx)
    if (me.stage && me.isMember) throw new ForbiddenError('Your account is also a member account of the portal: change your password there, on My access.')
    const place = await loadPasswordPlace(tx, me.stage?.key)
    // Checks that reveal nothing about the current password come first and cost no attempt.
    assertPasswordAllowed(data.newPassword, place.policy, 'newPassword')
    const [credential] = await tx.select().from(userCredentials).where(eq(userCredentials.userKey, me.userKey)).for('update')
    if (!credential?.passwordHash) throw new ConflictError('Your account has no password here: you sign in through an identity provider.')
    const mayVerify = !credential.lockedUntil || credential.lockedUntil <= now
    const failed = credential.failedAttempts + 1
    const seconds = lockSeconds(failed)
    await tx
      .update(userCredentials)
      .set({ failedAttempts: failed, lockedUntil: seconds > 0 ? new Date(now.getTime() + seconds * 1000) : credential.lockedUntil })
      .where(eq(userCredentials.userKey, me.userKey))
    return { me, place, passwordHash: credential.passwordHash, mayVerify, failed }
  })
  const { me, place } = attempt
  // Outside any transaction: verification and hashing take tens of milliseconds.
  const ok = attempt.mayVerify ? await verifyPassword(attempt.passwordHash, data.currentPassword) : (await burnPasswordCheck(data.currentPassword), false)
  if (!ok) {
    if (attempt.mayVerify && attempt.failed === FREE_FAILURES) {
      await withTransaction(ctx, (tx, ctx) =>
        audit(tx, ctx, { action: 'user.locked_out', target: { type: 'user', key: me.userKey, label: me.email ?? me.label }, details: { failedAttempts: attempt.failed, during: 'password_change' } }),
      )
    }
    throw refused()
  }
  const newHash = await hashPassword(data.newPassword)
  const result = await withTransaction(ctx, async (tx, ctx) => {
    const now = nowOf(ctx)
    const [credential] = await tx.select({ passwordHash: userCredentials.passwordHash }).from(userCredentials).where(eq(userCredentials.userKey, me.userKey)).for('update')
    // Changed meanwhile (another tab, a reset): the current password this request checked is stale.
    if (credential?.passwordHash !== attempt.passwordHash) throw refused()
    await tx.update(userCredentials).set({ passwordHash: newHash, passwordChangedAt: now, failedAttempts: 0, lockedUntil: null }).where(eq(userCredentials.userKey, me.userKey))
    const sessionsEnded = await revokeUserSessions(tx, me.userKey, now, me.sessionIdHash)
    if (me.email) await enqueueMail(tx, passwordChangedMail({ org: place.org, to: me.email, at: now, resetLink: resetLinkFor(place, me.email, me.isMember), signedOut: 'elsewhere' }))
    await audit(tx, ctx, { action: 'user.password_changed', target: { type: 'user', key: me.userKey, label: me.email ?? me.label }, details: { where: me.stage?.code ?? 'portal', sessionsEnded } })
    return { sessionsEnded }
  })
  kickMailDelivery()
  return result
}
