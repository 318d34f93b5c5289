import 'server-only'
import { and, desc, eq, gt, isNull } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { userCredentials, verificationCodes, type VerificationPurpose } from '@/db/schema'
import { lockSeconds } from './lockout'
import { hashCode, randomCode, sameHash } from './tokens'

// Emailed one-time codes (AUTH-6, AUTH-7): 6 digits, stored as a keyed hash bound to their purpose,
// one open code per user and purpose, and five wrong entries kill a code.
export const CODE_ATTEMPTS = 5
export const REGISTRATION_CODE_MINUTES = 15
export const RESET_CODE_MINUTES = 60

/** Revokes the user's open code for this purpose and issues a new one; returns it for the email. */
export async function issueVerificationCode(
  tx: Tx,
  p: { userKey: string; purpose: VerificationPurpose; stageKey: string | null; validMinutes: number; now: Date },
): Promise<{ code: string; expiresAt: Date }> {
  await tx
    .update(verificationCodes)
    .set({ revokedAt: p.now })
    .where(and(eq(verificationCodes.userKey, p.userKey), eq(verificationCodes.purpose, p.purpose), isNull(verificationCodes.usedAt), isNull(verificationCodes.revokedAt)))
  const code = randomCode()
  const expiresAt = new Date(p.now.getTime() + p.validMinutes * 60_000)
  await tx.insert(verificationCodes).values({
    userKey: p.userKey,
    purpose: p.purpose,
    stageKey: p.stageKey,
    codeHash: hashCode(p.purpose, code),
    expiresAt,
    createdAt: p.now,
  })
  return { code, expiresAt }
}

export type CodeCheck = { ok: true; codeKey: string } | { ok: false; attemptsLeft: number }

/**
 * Checks a code under a row lock, so parallel guesses are counted one by one. A wrong code counts
 * against the code (the fifth kills it) and against the account's lockout (AUTH-3); the caller must
 * commit that count even though it then refuses the request. A locked account's codes are not
 * checked at all. `stageKey` undefined accepts a code issued anywhere.
 */
export async function checkVerificationCode(
  tx: Tx,
  p: { userKey: string; purpose: VerificationPurpose; stageKey?: string | null; code: string; now: Date },
): Promise<CodeCheck> {
  const [open] = await tx
    .select()
    .from(verificationCodes)
    .where(and(eq(verificationCodes.userKey, p.userKey), eq(verificationCodes.purpose, p.purpose), isNull(verificationCodes.usedAt), isNull(verificationCodes.revokedAt), gt(verificationCodes.expiresAt, p.now)))
    .orderBy(desc(verificationCodes.createdAt))
    .limit(1)
    .for('update')
  if (!open || open.failedAttempts >= CODE_ATTEMPTS) return { ok: false, attemptsLeft: 0 }
  if (p.stageKey !== undefined && open.stageKey !== p.stageKey) return { ok: false, attemptsLeft: 0 }
  const [credential] = await tx.select().from(userCredentials).where(eq(userCredentials.userKey, p.userKey)).for('update')
  if (credential?.lockedUntil && credential.lockedUntil > p.now) return { ok: false, attemptsLeft: CODE_ATTEMPTS - open.failedAttempts }
  if (sameHash(open.codeHash, hashCode(p.purpose, p.code))) return { ok: true, codeKey: open.key }
  const failed = open.failedAttempts + 1
  await tx
    .update(verificationCodes)
    .set({ failedAttempts: failed, revokedAt: failed >= CODE_ATTEMPTS ? p.now : null })
    .where(eq(verificationCodes.key, open.key))
  if (credential) {
    const failures = credential.failedAttempts + 1
    const seconds = lockSeconds(failures)
    await tx
      .update(userCredentials)
      .set({ failedAttempts: failures, lockedUntil: seconds > 0 ? new Date(p.now.getTime() + seconds * 1000) : credential.lockedUntil })
      .where(eq(userCredentials.userKey, p.userKey))
  }
  return { ok: false, attemptsLeft: CODE_ATTEMPTS - failed }
}

/** Marks a checked code used, so it cannot be replayed. */
export async function useVerificationCode(tx: Tx, codeKey: string, now: Date): Promise<void> {
  await tx.update(verificationCodes).set({ usedAt: now }).where(eq(verificationCodes.key, codeKey))
}
