import { count, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sessions, stages } from '@/db/schema'
import { InvalidCredentialsError } from '@/lib/auth/sign-in'
import { resolvePortalSession } from '@/lib/auth/sessions'
import { resolveStageSession } from '@/lib/auth/stage-sessions'
import type { Ctx } from '@/lib/context'
import { NotFoundError } from '@/lib/errors'
import { deactivateUser } from '@/lib/users/set-user-status'
import { auditRows, createMember, PASSWORD, userRow } from '@/test/factories'
import { ADMIN, anonymous, asUser, setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { at, configureSelfRegistration, credentialOf, MINUTE, plus, registerEndUser } from './hosted-test-support'
import { signInToStage, stageSignInProviders } from './sign-in'
import { signOutOfStage } from './sign-out'
import { signUp } from './sign-up'

describe('signing in to a stage (AUTH-1, AUTH-3, AUTH-4)', () => {
  const database = useTestDatabase()
  let admin: () => Ctx
  let qa: string

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
    qa = await configureSelfRegistration('QA')
    await database.current().db.update(stages).set({ sessionMaxMinutes: 120, sessionIdleMinutes: 30 }).where(eq(stages.key, qa))
  })

  const failure = (p: Promise<unknown>) => p.then(() => expect.unreachable('signed in'), (e: unknown) => e as InvalidCredentialsError)
  const sessionCount = async () => (await database.current().db.select({ n: count() }).from(sessions))[0].n

  async function endUser() {
    const email = uniqueEmail('enduser')
    const { userKey } = await registerEndUser(qa, email, PASSWORD)
    return { email, userKey }
  }

  it('opens a session bound to the stage with its limits, and records the sign-in', async () => {
    const { email, userKey } = await endUser()
    const now = new Date()
    const result = await signInToStage(at(now), { stageKey: qa, email: email.toUpperCase(), password: PASSWORD })
    expect(result).toMatchObject({ userKey, expiresAt: plus(now, 120 * MINUTE) })

    const db = database.current().db
    expect(await resolveStageSession(db, result.sessionToken, qa, plus(now, 29 * MINUTE))).toMatchObject({ userKey, stageKey: qa })
    // Idle for longer than the stage allows: over.
    expect(await resolveStageSession(db, result.sessionToken, qa, plus(now, 29 * MINUTE + 31 * MINUTE))).toBeNull()
    const [row] = await db.select().from(sessions).where(eq(sessions.userKey, userKey)).orderBy(sessions.createdAt)
    expect(row).toMatchObject({ kind: 'stage' })

    expect((await userRow(userKey)).lastLoginAt).toEqual(now)
    const events = await auditRows('auth.signed_in', userKey)
    expect(events.at(-1)).toMatchObject({ actorKey: userKey, actorLabel: email, changes: { stage: 'QA' } })
    expect(JSON.stringify(events)).not.toContain(PASSWORD)
    expect(JSON.stringify(events)).not.toContain(result.sessionToken)
  })

  it('ends at the stage’s maximum duration however active the user is', async () => {
    const { email } = await endUser()
    const now = new Date()
    const { sessionToken } = await signInToStage(at(now), { stageKey: qa, email, password: PASSWORD })
    const db = database.current().db
    // A request every 20 minutes keeps the 30-minute idle limit away…
    for (let minute = 20; minute <= 100; minute += 20) expect(await resolveStageSession(db, sessionToken, qa, plus(now, minute * MINUTE)), `minute ${minute}`).not.toBeNull()
    expect(await resolveStageSession(db, sessionToken, qa, plus(now, 119 * MINUTE))).not.toBeNull()
    // …but not the 2-hour maximum.
    expect(await resolveStageSession(db, sessionToken, qa, plus(now, 120 * MINUTE))).toBeNull()
  })

  it('keeps a stage session and a portal session apart', async () => {
    const { email } = await endUser()
    const { sessionToken } = await signInToStage(anonymous(), { stageKey: qa, email, password: PASSWORD })
    const db = database.current().db
    const dev = (await db.select({ key: stages.key }).from(stages).where(eq(stages.code, 'DEV')))[0].key
    expect(await resolveStageSession(db, sessionToken, dev, new Date())).toBeNull()
    expect(await resolvePortalSession(db, sessionToken, new Date())).toBeNull()
  })

  it('lets a member sign in to a stage too: one person, one password', async () => {
    const member = await createMember(admin())
    await expect(signInToStage(at(new Date()), { stageKey: qa, email: member.email, password: member.password })).resolves.toMatchObject({ userKey: member.userKey })
  })

  it('gives one answer for a wrong password, an unknown email, an inactive, a pending and a malformed attempt', async () => {
    const active = await endUser()
    const inactive = await endUser()
    await deactivateUser(admin(), { userKey: inactive.userKey })
    const pendingEmail = uniqueEmail('pending')
    await signUp(at(new Date()), { stageKey: qa, name: 'Pending Person', email: pendingEmail })
    const before = await sessionCount()
    const signedIn = (await auditRows('auth.signed_in')).length

    const errors = [
      await failure(signInToStage(at(new Date()), { stageKey: qa, email: active.email, password: PASSWORD + 'x' })),
      await failure(signInToStage(at(new Date()), { stageKey: qa, email: uniqueEmail('nobody'), password: PASSWORD })),
      await failure(signInToStage(at(new Date()), { stageKey: qa, email: inactive.email, password: PASSWORD })),
      await failure(signInToStage(at(new Date()), { stageKey: qa, email: pendingEmail, password: PASSWORD })),
      await failure(signInToStage(at(new Date()), { stageKey: qa, email: 'not-an-email', password: PASSWORD })),
      await failure(signInToStage(at(new Date()), { stageKey: qa, email: active.email })),
      await failure(signInToStage(at(new Date()), { stageKey: qa, email: active.email, password: PASSWORD, extra: 1 })),
    ]
    for (const error of errors) {
      expect(error).toBeInstanceOf(InvalidCredentialsError)
      expect(error.message).toBe(new InvalidCredentialsError().message)
    }
    expect(await sessionCount()).toBe(before)
    expect((await auditRows('auth.signed_in')).length).toBe(signedIn)
  })

  it('locks after five failures, refuses the right password while locked, and resets on success', async () => {
    const { email, userKey } = await endUser()
    const t0 = new Date()
    for (let i = 0; i < 5; i++) await failure(signInToStage(at(t0), { stageKey: qa, email, password: 'Wrong-Password-99' }))
    expect(await credentialOf(userKey)).toMatchObject({ failedAttempts: 5, lockedUntil: plus(t0, 2_000) })
    expect(await auditRows('user.locked_out', userKey)).toHaveLength(1)

    await failure(signInToStage(at(plus(t0, 1_000)), { stageKey: qa, email, password: PASSWORD }))
    expect(await credentialOf(userKey)).toMatchObject({ failedAttempts: 6, lockedUntil: plus(t0, 5_000) })

    const later = plus(t0, 10 * MINUTE)
    await signInToStage(at(later), { stageKey: qa, email, password: PASSWORD })
    expect(await credentialOf(userKey)).toMatchObject({ failedAttempts: 0, lockedUntil: null })
  })

  it('counts parallel wrong attempts one by one', async () => {
    const { email, userKey } = await endUser()
    const now = new Date()
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => signInToStage(at(now), { stageKey: qa, email, password: `Wrong-Password-${i}` })))
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof InvalidCredentialsError)).toBe(true)
    expect((await credentialOf(userKey)).failedAttempts).toBe(12)
  })

  it('refuses a user deactivated after signing in, on their next request', async () => {
    const { email, userKey } = await endUser()
    const { sessionToken } = await signInToStage(at(new Date()), { stageKey: qa, email, password: PASSWORD })
    await deactivateUser(admin(), { userKey })
    expect(await resolveStageSession(database.current().db, sessionToken, qa, new Date())).toBeNull()
    await failure(signInToStage(at(new Date()), { stageKey: qa, email, password: PASSWORD }))
  })

  it('refuses an unknown stage', async () => {
    const { email } = await endUser()
    await expect(signInToStage(at(new Date()), { stageKey: '00000000-0000-4000-8000-000000000000', email, password: PASSWORD })).rejects.toBeInstanceOf(NotFoundError)
  })

  it('lists the built-in provider', () => {
    expect(stageSignInProviders()).toEqual([{ key: 'built-in', name: 'Email and password', kind: 'built-in' }])
  })

  it('signs out: the session ends at once, and signing out again does nothing', async () => {
    const { email, userKey } = await endUser()
    const now = new Date()
    const { sessionToken } = await signInToStage(at(now), { stageKey: qa, email, password: PASSWORD })
    const other = await signInToStage(at(now), { stageKey: qa, email, password: PASSWORD })
    const db = database.current().db
    const live = (await resolveStageSession(db, sessionToken, qa, now))!
    const ctx: Ctx = { ...at(plus(now, MINUTE)), actor: { type: 'user', userKey, label: email, sessionIdHash: live.idHash } }

    await signOutOfStage(ctx)
    expect(await resolveStageSession(db, sessionToken, qa, plus(now, 2 * MINUTE))).toBeNull()
    // Only this session: the one in another browser stays.
    expect(await resolveStageSession(db, other.sessionToken, qa, plus(now, 2 * MINUTE))).toMatchObject({ userKey })
    const [event] = await auditRows('auth.signed_out', userKey)
    expect(event).toMatchObject({ actorKey: userKey, changes: { stage: 'QA' } })

    await signOutOfStage(ctx)
    await signOutOfStage(at(now))
    expect(await auditRows('auth.signed_out', userKey)).toHaveLength(1)
  })
})
