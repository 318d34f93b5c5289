import { and, count, desc, eq, isNull } from 'drizzle-orm'
import { getDb } from '@/db/client'
import { mailOutbox, sessions, stages, userCredentials, users, type UserStatus } from '@/db/schema'
import { hashPassword } from '@/lib/auth/passwords'
import { openStageSession } from '@/lib/auth/stage-sessions'
import { sha256 } from '@/lib/auth/tokens'
import type { Ctx } from '@/lib/context'
import { PASSWORD } from '@/test/factories'
import { uniqueEmail } from '@/test/harness'

// Shared by the integration tests of password reset, password change and the stage account page:
// users written directly (their creation has its own tests), stage sessions opened like a stage
// sign-in does, and mail read back from the outbox.

export const plus = (date: Date, ms: number) => new Date(date.getTime() + ms)
export const MINUTE = 60_000

export type TestUser = { userKey: string; email: string; password: string }

/** A user with a password, Active by default (an end-user: no organization role). */
export async function insertUserWithPassword(opts: { status?: UserStatus; name?: string; password?: string | null; isMember?: boolean } = {}): Promise<TestUser> {
  const db = await getDb()
  const email = uniqueEmail('person')
  const password = opts.password === undefined ? PASSWORD : opts.password
  const [user] = await db
    .insert(users)
    .values({ name: opts.name ?? `Person ${email}`, email, status: opts.status ?? 'Active', isEmailVerified: true, isMember: opts.isMember ?? false })
    .returning({ key: users.key })
  await db.insert(userCredentials).values({ userKey: user.key, passwordHash: password === null ? null : await hashPassword(password) })
  return { userKey: user.key, email, password: password ?? '' }
}

export async function stageOf(code: string) {
  const db = await getDb()
  const [stage] = await db.select().from(stages).where(eq(stages.code, code))
  return stage
}

/** Opens a session on a stage as its sign-in does, and the context its hosted pages would hand a use case. */
export async function openStageSessionFor(user: { userKey: string; email: string }, stageCode: string, now = new Date()): Promise<{ token: string; idHash: string; ctx: (at?: Date) => Ctx }> {
  const db = await getDb()
  const stage = await stageOf(stageCode)
  const { token } = await db.transaction((tx) => openStageSession(tx, user.userKey, stage, now, { ip: '198.51.100.4', userAgent: 'vitest-stage' }))
  const idHash = sha256(token)
  return {
    token,
    idHash,
    ctx: (at) => ({ actor: { type: 'user', userKey: user.userKey, label: user.email, sessionIdHash: idHash }, ip: '198.51.100.4', userAgent: 'vitest-stage', ...(at ? { now: () => at } : {}) }),
  }
}

export async function sessionRow(idHash: string) {
  const db = await getDb()
  const [row] = await db.select().from(sessions).where(eq(sessions.idHash, idHash))
  return row
}

export async function liveSessionCount(userKey: string): Promise<number> {
  const db = await getDb()
  const [row] = await db.select({ n: count() }).from(sessions).where(and(eq(sessions.userKey, userKey), isNull(sessions.revokedAt)))
  return row.n
}

export async function mailsTo(email: string) {
  const db = await getDb()
  return db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email)).orderBy(desc(mailOutbox.id))
}

/** The code and link of the newest password reset mail to `email`. */
export async function resetMailFor(email: string): Promise<{ code: string; link: string; text: string }> {
  const [mail] = (await mailsTo(email)).filter((m) => m.template === 'password-reset-code')
  if (!mail) throw new Error(`no reset mail to ${email}`)
  const text = mail.textBody ?? ''
  const code = /code: (\d{6})\b/.exec(text)?.[1]
  const link = /(https?:\/\/\S+\/forgot-password\?\S+)/.exec(text)?.[1]
  if (!code || !link) throw new Error(`no code or link in the mail to ${email}`)
  return { code, link, text }
}

export async function credentialOf(userKey: string) {
  const db = await getDb()
  const [row] = await db.select().from(userCredentials).where(eq(userCredentials.userKey, userKey))
  return row
}

export const wrongCodeFor = (code: string) => (code === '000000' ? '111111' : '000000')
