import 'server-only'
import { eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Tx } from '@/db/client'
import { userCredentials, users } from '@/db/schema'
import { audit } from '../audit/record'
import { nowOf, withTransaction, type Ctx } from '../context'
import { DomainError } from '../errors'
import { emailSchema } from '../validation'
import { FREE_FAILURES, lockSeconds } from './lockout'
import { burnPasswordCheck, verifyPassword } from './passwords'
import { openPortalSession } from './sessions'

/** One answer for every failure, so sign-in reveals nothing about accounts (AUTH-1). */
export class InvalidCredentialsError extends DomainError {
  override readonly status = 401
  override readonly code = 'InvalidCredentials'
  constructor() {
    super('The email or password is incorrect, or the account is temporarily locked. Try again later or reset your password.')
  }
}

const signInSchema = z.object({ email: emailSchema, password: z.string().min(1).max(1024) })

type Attempt = { userKey: string; label: string; passwordHash: string | null; status: string; mayVerify: boolean; failed: number }

/**
 * Counts the attempt before checking the password, under a row lock, so parallel guesses cannot
 * exceed the free failures (AUTH-3): only attempts made while the account is not locked verify.
 */
async function reserveAttempt(ctx: Ctx, email: string): Promise<Attempt | null> {
  return withTransaction(ctx, async (tx, ctx) => {
    const now = nowOf(ctx)
    const [row] = await tx
      .select({ userKey: users.key, label: users.email, status: users.status, passwordHash: userCredentials.passwordHash, failed: userCredentials.failedAttempts, lockedUntil: userCredentials.lockedUntil })
      .from(users)
      .innerJoin(userCredentials, eq(userCredentials.userKey, users.key))
      .where(eq(sql`lower(${users.email})`, email))
      .for('update', { of: userCredentials })
    if (!row) return null
    const mayVerify = !row.lockedUntil || row.lockedUntil <= now
    const failed = row.failed + 1
    const seconds = lockSeconds(failed)
    const lockedUntil = seconds > 0 ? new Date(now.getTime() + seconds * 1000) : row.lockedUntil
    await tx.update(userCredentials).set({ failedAttempts: failed, lockedUntil }).where(eq(userCredentials.userKey, row.userKey))
    return { userKey: row.userKey, label: row.label ?? email, passwordHash: row.passwordHash, status: row.status, mayVerify, failed }
  })
}

/**
 * Checks an email and password with the lockout rules (AUTH-1, AUTH-3) and returns the Active user
 * they belong to; every failure throws the same InvalidCredentialsError. Shared by the portal and
 * the stages' hosted pages, which then open their own kind of session with recordSignIn.
 */
export async function authenticatePassword(ctx: Ctx, input: unknown): Promise<{ userKey: string; label: string }> {
  const parsed = signInSchema.safeParse(input)
  if (!parsed.success) throw new InvalidCredentialsError()
  const { email, password } = parsed.data
  const attempt = await reserveAttempt(ctx, email)
  // Hash verification runs outside any transaction: it takes tens of milliseconds.
  const ok = attempt?.passwordHash && attempt.mayVerify ? await verifyPassword(attempt.passwordHash, password) : (await burnPasswordCheck(password), false)
  if (!attempt || !ok || attempt.status !== 'Active') {
    if (attempt && !ok && attempt.mayVerify && attempt.failed === FREE_FAILURES) {
      await withTransaction(ctx, (tx, ctx) =>
        audit(tx, ctx, { action: 'user.locked_out', target: { type: 'user', key: attempt.userKey, label: attempt.label }, details: { failedAttempts: attempt.failed } }),
      )
    }
    throw new InvalidCredentialsError()
  }
  return { userKey: attempt.userKey, label: attempt.label }
}

/** A successful sign-in resets the lockout counter and records the time (in the session's transaction). */
export async function recordSignIn(tx: Tx, userKey: string, now: Date): Promise<void> {
  await tx.update(userCredentials).set({ failedAttempts: 0, lockedUntil: null }).where(eq(userCredentials.userKey, userKey))
  await tx.update(users).set({ lastLoginAt: now }).where(eq(users.key, userKey))
}

/** Signs a member in to the portal and returns the new session's token. */
export async function signInWithPassword(ctx: Ctx, input: unknown): Promise<{ userKey: string; sessionToken: string }> {
  const user = await authenticatePassword(ctx, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const now = nowOf(ctx)
    await recordSignIn(tx, user.userKey, now)
    const sessionToken = await openPortalSession(tx, user.userKey, now, { ip: ctx.ip, userAgent: ctx.userAgent })
    await audit(tx, { ...ctx, actor: { type: 'user', userKey: user.userKey, label: user.label } }, { action: 'auth.signed_in', target: { type: 'user', key: user.userKey, label: user.label } })
    return { userKey: user.userKey, sessionToken }
  })
}
