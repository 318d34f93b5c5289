import { and, desc, eq, isNull } from 'drizzle-orm'
import { getDb } from '@/db/client'
import { mailOutbox, registrationGroups, stages, userCredentials, users, verificationCodes } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { stageKeyOf } from '@/test/factories'
import { anonymous } from '@/test/harness'
import { signUp } from './sign-up'
import { verifyRegistration } from './verify-registration'

// Shared by the hosted pages' integration tests: stage settings written directly (their use case
// lives with the settings), and the registration mail read back from the outbox.

export const at = (date: Date): Ctx => ({ ...anonymous(), now: () => date })
export const plus = (date: Date, ms: number) => new Date(date.getTime() + ms)
export const MINUTE = 60_000

export async function configureSelfRegistration(code: string, opts: { enabled?: boolean; domains?: string[]; groupKeys?: string[] } = {}): Promise<string> {
  const db = await getDb()
  const stageKey = await stageKeyOf(code)
  await db
    .update(stages)
    .set({ selfRegistrationEnabled: opts.enabled ?? true, selfRegistrationDomains: opts.domains ?? [] })
    .where(eq(stages.key, stageKey))
  await db.delete(registrationGroups).where(eq(registrationGroups.stageKey, stageKey))
  if (opts.groupKeys?.length) await db.insert(registrationGroups).values(opts.groupKeys.map((groupKey) => ({ groupKey, stageKey })))
  return stageKey
}

export async function mailsTo(email: string) {
  const db = await getDb()
  return db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email)).orderBy(desc(mailOutbox.id))
}

/** The code and link of the newest registration mail to `email`. */
export async function registrationMailFor(email: string): Promise<{ code: string; link: string; text: string; html: string }> {
  const [mail] = (await mailsTo(email)).filter((m) => m.template === 'registration-code')
  if (!mail) throw new Error(`no registration mail to ${email}`)
  const text = mail.textBody ?? ''
  const code = /: (\d{6})\n/.exec(text)?.[1]
  const link = /(https?:\/\/\S+\/verify\?\S+)/.exec(text)?.[1]
  if (!code || !link) throw new Error(`no code or link in the mail to ${email}`)
  return { code, link, text, html: mail.htmlBody ?? '' }
}

export const wrongCodeFor = (code: string) => (code === '000000' ? '111111' : '000000')

export async function openCodesOf(userKey: string) {
  const db = await getDb()
  return db
    .select()
    .from(verificationCodes)
    .where(and(eq(verificationCodes.userKey, userKey), isNull(verificationCodes.usedAt), isNull(verificationCodes.revokedAt)))
}

export async function codesOf(userKey: string) {
  const db = await getDb()
  return db.select().from(verificationCodes).where(eq(verificationCodes.userKey, userKey)).orderBy(verificationCodes.createdAt)
}

export async function userByEmail(email: string) {
  const db = await getDb()
  const [user] = await db.select().from(users).where(eq(users.email, email))
  return user
}

export async function credentialOf(userKey: string) {
  const db = await getDb()
  const [row] = await db.select().from(userCredentials).where(eq(userCredentials.userKey, userKey))
  return row
}

/** Signs up and verifies through the real use cases: an Active self-registered end-user. */
export async function registerEndUser(stageKey: string, email: string, password: string, now = new Date()) {
  await signUp(at(now), { stageKey, name: `End User ${email}`, email })
  const { code } = await registrationMailFor(email)
  return verifyRegistration(at(now), { stageKey, email, code, password })
}
