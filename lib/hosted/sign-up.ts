import 'server-only'
import { eq, sql } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { userCredentials, users } from '@/db/schema'
import { audit } from '../audit/record'
import { issueVerificationCode, REGISTRATION_CODE_MINUTES } from '../auth/verification-codes'
import { nowOf, withTransaction, type Ctx } from '../context'
import { isUniqueViolation } from '../db-errors'
import { ForbiddenError, ValidationError } from '../errors'
import { enqueueMail, kickMailDelivery } from '../mail/outbox'
import { alreadyRegisteredMail, registrationCodeMail } from '../mail/templates'
import { parse } from '../validation'
import { signUpSchema } from './schemas'
import { loadStage, stageLink, type StageRow } from './stage-row'

/** The one answer to every accepted sign-up, whatever the address turned out to be (AUTH-6). */
export type SignUpResult = { accepted: true }

export const SIGN_UP_CLOSED = 'Sign-up is not open here. Ask your administrator for an invitation.'

export function assertSignUpOpen(stage: Pick<StageRow, 'selfRegistrationEnabled'>): void {
  if (!stage.selfRegistrationEnabled) throw new ForbiddenError(SIGN_UP_CLOSED)
}

/** "a.com", "a.com or b.com", "a.com, b.com or c.com". */
export const listDomains = (domains: string[]): string =>
  domains.length === 1 ? domains[0] : `${domains.slice(0, -1).join(', ')} or ${domains[domains.length - 1]}`

function assertDomainAllowed(stage: StageRow, email: string): void {
  const domains = stage.selfRegistrationDomains
  if (domains.length === 0 || domains.includes(email.slice(email.lastIndexOf('@') + 1))) return
  const message = `Sign-up here is open to addresses at ${listDomains(domains)} only.`
  throw new ValidationError(message, { email: [message] })
}

/**
 * Self-registration on a stage's hosted pages (AUTH-6). A new address becomes a PendingRegistration
 * user with a 15-minute code; a pending one gets a fresh code (the old one dies); an address that
 * already has an account changes nothing and its owner is told so by email. The caller gets the
 * same answer in all three cases, after similar work, so the page reveals nothing about accounts.
 */
export async function signUp(ctx: Ctx, input: unknown): Promise<SignUpResult> {
  const data = parse(signUpSchema, input)
  let result: SignUpResult
  try {
    result = await register(ctx, data)
  } catch (error) {
    // Two sign-ups for one new address at once: the second insert loses; it then finds the
    // first one's pending registration and sends a fresh code, as a repeat would.
    if (!isUniqueViolation(error, 'users_email_unique')) throw error
    result = await register(ctx, data)
  }
  kickMailDelivery()
  return result
}

function register(ctx: Ctx, data: { stageKey: string; name: string; email: string }): Promise<SignUpResult> {
  return withTransaction(ctx, async (tx, ctx) => {
    const now = nowOf(ctx)
    const stage = await loadStage(tx, data.stageKey, { lock: 'share' })
    assertSignUpOpen(stage)
    assertDomainAllowed(stage, data.email)
    const [existing] = await tx
      .select({ key: users.key, name: users.name, status: users.status })
      .from(users)
      .where(eq(sql`lower(${users.email})`, data.email))
      .for('update')
    if (existing && existing.status !== 'PendingRegistration') {
      await enqueueMail(
        tx,
        alreadyRegisteredMail({ org: stage.organization, stage: stage.name, to: data.email, signInLink: stageLink(stage, 'sign-in'), resetLink: stageLink(stage, 'forgot-password') }),
      )
      // The trail shows the attempt; the account itself is left as it was.
      await audit(tx, ctx, { action: 'user.registration_existing_account', target: { type: 'user', key: existing.key, label: data.email }, details: { stage: stage.code } })
      return { accepted: true }
    }
    const userKey = existing ? await renewPending(tx, existing.key, data.name, now) : await createPending(tx, data, now)
    const { code } = await issueVerificationCode(tx, { userKey, purpose: 'registration', stageKey: stage.key, validMinutes: REGISTRATION_CODE_MINUTES, now })
    await enqueueMail(
      tx,
      registrationCodeMail({
        org: stage.organization,
        stage: stage.name,
        to: data.email,
        name: data.name,
        link: stageLink(stage, 'verify', { email: data.email }),
        code,
        validMinutes: REGISTRATION_CODE_MINUTES,
      }),
    )
    await audit(tx, ctx, {
      action: 'user.registration_started',
      target: { type: 'user', key: userKey, label: data.email },
      ...(existing ? { before: { name: existing.name }, after: { name: data.name } } : { after: { email: data.email, name: data.name, status: 'PendingRegistration' } }),
      details: { stage: stage.code, repeated: Boolean(existing) },
    })
    return { accepted: true }
  })
}

async function createPending(tx: Tx, data: { name: string; email: string }, now: Date): Promise<string> {
  const [user] = await tx
    .insert(users)
    .values({ email: data.email, name: data.name, status: 'PendingRegistration', createdAt: now, updatedAt: now })
    .returning({ key: users.key })
  // An empty credential: wrong codes count toward the account's lockout like wrong passwords.
  await tx.insert(userCredentials).values({ userKey: user.key })
  return user.key
}

async function renewPending(tx: Tx, userKey: string, name: string, now: Date): Promise<string> {
  await tx.update(users).set({ name, updatedAt: now }).where(eq(users.key, userKey))
  await tx.insert(userCredentials).values({ userKey }).onConflictDoNothing()
  return userKey
}

/** What the sign-up page tells a visitor up front: which email domains may register (public, like the refusal naming them). */
export async function describeSignUp(ctx: Ctx, stageKey: string): Promise<{ domains: string[] }> {
  return withTransaction(ctx, async (tx) => ({ domains: (await loadStage(tx, stageKey)).selfRegistrationDomains }))
}
