import 'server-only'
import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { groups, registrationGroups, stages, userCredentials, users, verificationCodes } from '@/db/schema'
import { audit } from '../audit/record'
import { assertPasswordAllowed, hashPassword } from '../auth/passwords'
import { openStageSession } from '../auth/stage-sessions'
import { checkVerificationCode, useVerificationCode } from '../auth/verification-codes'
import { nowOf, withTransaction, type Ctx } from '../context'
import { ValidationError } from '../errors'
import { addMember } from '../groups/membership'
import { parse } from '../validation'
import type { StageSession } from './sign-in'
import { verifyRegistrationSchema } from './schemas'
import { assertSignUpOpen } from './sign-up'
import { loadStage } from './stage-row'

const NOT_RIGHT = 'That code is not right or has expired.'
/** One answer for an unknown address, no pending registration, and an expired or dead code. */
export const CODE_NOT_RIGHT = `${NOT_RIGHT} Check the email address, or sign up again to get a new code.`
const LOCKED = 'Too many wrong attempts for this address. Wait a few minutes, then try again.'

const refuse = (message: string): never => {
  throw new ValidationError(message, { code: [message] })
}

async function pendingUser(tx: Tx, email: string) {
  const [user] = await tx
    .select({ key: users.key, name: users.name, email: users.email, status: users.status, lockedUntil: userCredentials.lockedUntil })
    .from(users)
    .leftJoin(userCredentials, eq(userCredentials.userKey, users.key))
    .where(eq(sql`lower(${users.email})`, email))
    .for('update', { of: users })
  return user?.status === 'PendingRegistration' ? user : null
}

/**
 * Finishing a self-registration (AUTH-6): the emailed code and a password that meets the policy
 * make the user Active and verified, place them in the stage's registration groups and sign them in
 * to the stage. Wrong codes count against the code (the fifth kills it) and the account's lockout.
 */
export async function verifyRegistration(ctx: Ctx, input: unknown): Promise<StageSession> {
  const data = parse(verifyRegistrationSchema, input)
  type Checked = { wrong: string } | { userKey: string; codeKey: string }
  const checked = await withTransaction(ctx, async (tx, ctx): Promise<Checked> => {
    const now = nowOf(ctx)
    const stage = await loadStage(tx, data.stageKey)
    assertSignUpOpen(stage)
    const user = await pendingUser(tx, data.email)
    if (!user) return refuse(CODE_NOT_RIGHT)
    if (user.lockedUntil && user.lockedUntil > now) return refuse(LOCKED)
    const check = await checkVerificationCode(tx, { userKey: user.key, purpose: 'registration', stageKey: stage.key, code: data.code, now })
    if (!check.ok) return { wrong: check.attemptsLeft > 0 ? `${NOT_RIGHT} ${check.attemptsLeft} attempt(s) left.` : CODE_NOT_RIGHT }
    assertPasswordAllowed(data.password, stage.passwordPolicy)
    return { userKey: user.key, codeKey: check.codeKey }
  })
  // A wrong code must be counted even though the request fails, so its transaction commits first.
  if ('wrong' in checked) return refuse(checked.wrong)
  const passwordHash = await hashPassword(data.password)
  return withTransaction(ctx, async (tx, ctx) => {
    const now = nowOf(ctx)
    const stage = await loadStage(tx, data.stageKey, { lock: 'share' })
    assertSignUpOpen(stage)
    const user = await pendingUser(tx, data.email)
    // Between the check and now, a new sign-up may have replaced the code: then this one is dead.
    if (!user || user.key !== checked.userKey || !(await codeStillOpen(tx, checked.codeKey, now))) return refuse(CODE_NOT_RIGHT)
    await useVerificationCode(tx, checked.codeKey, now)
    await tx.update(users).set({ status: 'Active', isEmailVerified: true, lastLoginAt: now, updatedAt: now }).where(eq(users.key, user.key))
    await tx
      .insert(userCredentials)
      .values({ userKey: user.key, passwordHash, passwordChangedAt: now })
      .onConflictDoUpdate({ target: userCredentials.userKey, set: { passwordHash, passwordChangedAt: now, failedAttempts: 0, lockedUntil: null } })
    const label = user.email ?? data.email
    const actorCtx: Ctx = { ...ctx, actor: { type: 'user', userKey: user.key, label } }
    // addMember audits each membership and keeps users.is_end_user exact.
    const joined: string[] = []
    for (const group of await registrationGroupsOf(tx, stage.key)) if (await addMember(tx, actorCtx, group, user)) joined.push(group.name)
    const { token, expiresAt } = await openStageSession(tx, user.key, stage, now, { ip: ctx.ip, userAgent: ctx.userAgent })
    await audit(tx, actorCtx, {
      action: 'user.registered',
      target: { type: 'user', key: user.key, label },
      before: { status: 'PendingRegistration', isEmailVerified: false },
      after: { status: 'Active', isEmailVerified: true },
      details: { stage: stage.code, ...(joined.length ? { groups: joined } : {}) },
    })
    return { userKey: user.key, sessionToken: token, expiresAt }
  })
}

async function codeStillOpen(tx: Tx, codeKey: string, now: Date): Promise<boolean> {
  const [row] = await tx
    .select({ key: verificationCodes.key })
    .from(verificationCodes)
    .where(and(eq(verificationCodes.key, codeKey), isNull(verificationCodes.usedAt), isNull(verificationCodes.revokedAt), gt(verificationCodes.expiresAt, now)))
    .for('update')
  return Boolean(row)
}

/** The groups new registrations on the stage join, locked like any membership change (lib/groups). */
function registrationGroupsOf(tx: Tx, stageKey: string) {
  return tx
    .select({ key: groups.key, name: groups.name, description: groups.description, version: groups.version, stageKey: groups.stageKey, stageCode: stages.code, stageName: stages.name })
    .from(registrationGroups)
    .innerJoin(groups, and(eq(groups.key, registrationGroups.groupKey), eq(groups.stageKey, registrationGroups.stageKey)))
    .innerJoin(stages, eq(stages.key, groups.stageKey))
    .where(eq(registrationGroups.stageKey, stageKey))
    .orderBy(groups.name)
    .for('share', { of: groups })
}
