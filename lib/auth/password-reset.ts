import 'server-only'
import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { userCredentials, users, verificationCodes } from '@/db/schema'
import { audit } from '../audit/record'
import { nowOf, withTransaction, type Ctx } from '../context'
import { ValidationError } from '../errors'
import { enqueueMail, kickMailDelivery } from '../mail/outbox'
import { passwordChangedMail, passwordResetCodeMail, resetThroughPortalMail } from '../mail/templates'
import { parse } from '../validation'
import { FREE_FAILURES } from './lockout'
import { loadPasswordPlace, portalResetLink, resetLinkFor, stageResetLink } from './password-links'
import { finishPasswordResetSchema, startPasswordResetSchema } from './password-schemas'
import { assertPasswordAllowed, hashPassword } from './passwords'
import { revokeUserSessions } from './sessions'
import { checkVerificationCode, issueVerificationCode, RESET_CODE_MINUTES, useVerificationCode } from './verification-codes'

// Forgot password (AUTH-7): email → one-time code → new password, on the portal and on a stage's
// hosted pages. Neither step tells whether an account exists: the request always answers the same,
// and the finish gives one answer for an unknown email, a missing or expired code and a locked account.

/** The one answer for an unknown email, no open code, an expired or dead code, and a locked account. */
export const RESET_REFUSED = 'This code does not work. It may have expired or been replaced by a newer one, or the account may be locked for a few minutes. Check the email address, ask for a new code, or try again later.'


const byEmail = (email: string) => eq(sql`lower(${users.email})`, email)

/**
 * Sends a reset code to an Active user with a password; on a stage, a member is pointed to the
 * portal instead (one credential per person, and the portal resets it). Anyone else gets nothing.
 * The caller always gets the same answer.
 */
export async function startPasswordReset(ctx: Ctx, input: unknown): Promise<{ email: string }> {
  const { email, stageKey } = parse(startPasswordResetSchema, input)
  const sent = await withTransaction(ctx, async (tx, ctx) => {
    const now = nowOf(ctx)
    const place = await loadPasswordPlace(tx, stageKey)
    const [user] = await tx
      .select({ key: users.key, email: users.email, status: users.status, isMember: users.isMember, passwordHash: userCredentials.passwordHash })
      .from(users)
      .leftJoin(userCredentials, eq(userCredentials.userKey, users.key))
      .where(byEmail(email))
    if (!user?.email || user.status !== 'Active' || !user.passwordHash) return false
    if (place.stage && user.isMember) {
      await enqueueMail(tx, resetThroughPortalMail({ org: place.org, to: user.email, portalResetLink: portalResetLink(user.email) }))
      return true
    }
    const { code } = await issueVerificationCode(tx, { userKey: user.key, purpose: 'password_reset', stageKey: place.stage?.key ?? null, validMinutes: RESET_CODE_MINUTES, now })
    const link = place.stage ? stageResetLink(place.stage.code, user.email) : portalResetLink(user.email)
    await enqueueMail(tx, passwordResetCodeMail({ org: place.org, to: user.email, link, code, validMinutes: RESET_CODE_MINUTES }))
    await audit(tx, ctx, { action: 'user.password_reset_requested', target: { type: 'user', key: user.key, label: user.email }, details: { where: place.stage?.code ?? 'portal' } })
    return true
  })
  if (sent) kickMailDelivery()
  return { email }
}

type Checked = { refused: string } | { userKey: string; email: string; isMember: boolean; codeKey: string }

/**
 * Checks the code under the account's row lock. Every refusal is returned, not thrown, so that the
 * wrong-code count commits; the caller throws after the commit.
 */
async function checkResetCode(tx: Tx, ctx: Ctx, data: { email: string; code: string }, stageKey: string | null): Promise<Checked> {
  const now = nowOf(ctx)
  const [user] = await tx.select({ key: users.key, email: users.email, status: users.status, isMember: users.isMember }).from(users).where(byEmail(data.email))
  if (!user?.email || user.status !== 'Active') return { refused: RESET_REFUSED }
  // The credential is locked before the code (as in the second step), so a locked account is known
  // for sure here and checkVerificationCode's own lock check never answers for it.
  const [credential] = await tx.select({ failedAttempts: userCredentials.failedAttempts, lockedUntil: userCredentials.lockedUntil }).from(userCredentials).where(eq(userCredentials.userKey, user.key)).for('update')
  if (!credential || (credential.lockedUntil && credential.lockedUntil > now)) return { refused: RESET_REFUSED }
  const result = await checkVerificationCode(tx, { userKey: user.key, purpose: 'password_reset', stageKey, code: data.code, now })
  if (result.ok) return { userKey: user.key, email: user.email, isMember: user.isMember, codeKey: result.codeKey }
  // A wrong guess at an open code counts on the account (the lockout of sign-in, AUTH-3) and is
  // audited when it is the one that locks; attemptsLeft 0 means there was no usable code or this
  // guess killed it.
  const [after] = await tx.select({ failedAttempts: userCredentials.failedAttempts }).from(userCredentials).where(eq(userCredentials.userKey, user.key))
  if (after.failedAttempts > credential.failedAttempts && after.failedAttempts === FREE_FAILURES) {
    await audit(tx, ctx, { action: 'user.locked_out', target: { type: 'user', key: user.key, label: user.email }, details: { failedAttempts: FREE_FAILURES, during: 'password_reset' } })
  }
  // No "attempts left": that answer would tell a stranger typing codes that the address has an account.
  return { refused: RESET_REFUSED }
}

/**
 * Sets a new password with the emailed code: the policy holds, the code is spent, the lockout is
 * cleared, every session of the user (portal and stage) ends and the owner is told by email. The
 * user is not signed in; they sign in with the new password.
 */
export async function finishPasswordReset(ctx: Ctx, input: unknown): Promise<{ email: string }> {
  const data = parse(finishPasswordResetSchema, input)
  const checked = await withTransaction(ctx, async (tx, ctx) => {
    const place = await loadPasswordPlace(tx, data.stageKey)
    // A password the policy refuses is not a guess at the code: it costs no attempt.
    assertPasswordAllowed(data.password, place.policy)
    return checkResetCode(tx, ctx, data, place.stage?.key ?? null)
  })
  if ('refused' in checked) throw new ValidationError(checked.refused, { code: [checked.refused] })
  // Hashing takes tens of milliseconds: never inside a transaction.
  const passwordHash = await hashPassword(data.password)
  await withTransaction(ctx, async (tx, ctx) => {
    const now = nowOf(ctx)
    const place = await loadPasswordPlace(tx, data.stageKey)
    // Same lock order as the check (credential, then code); two finishes racing with one code
    // change the password once.
    await tx.select({ userKey: userCredentials.userKey }).from(userCredentials).where(eq(userCredentials.userKey, checked.userKey)).for('update')
    const [code] = await tx
      .select({ key: verificationCodes.key })
      .from(verificationCodes)
      .where(and(eq(verificationCodes.key, checked.codeKey), isNull(verificationCodes.usedAt), isNull(verificationCodes.revokedAt), gt(verificationCodes.expiresAt, now)))
      .for('update')
    const [user] = await tx.select({ status: users.status }).from(users).where(eq(users.key, checked.userKey))
    if (!code || user?.status !== 'Active') throw new ValidationError(RESET_REFUSED, { code: [RESET_REFUSED] })
    await useVerificationCode(tx, code.key, now)
    await tx.update(userCredentials).set({ passwordHash, passwordChangedAt: now, failedAttempts: 0, lockedUntil: null }).where(eq(userCredentials.userKey, checked.userKey))
    const sessionsEnded = await revokeUserSessions(tx, checked.userKey, now)
    await enqueueMail(tx, passwordChangedMail({ org: place.org, to: checked.email, at: now, resetLink: resetLinkFor(place, checked.email, checked.isMember), signedOut: 'everywhere' }))
    // Whoever holds the code proved they own the address: the trail records the user as the actor.
    const owner: Ctx = { ...ctx, actor: { type: 'user', userKey: checked.userKey, label: checked.email } }
    await audit(tx, owner, { action: 'user.password_reset', target: { type: 'user', key: checked.userKey, label: checked.email }, details: { where: place.stage?.code ?? 'portal', sessionsEnded } })
  })
  kickMailDelivery()
  return { email: checked.email }
}
