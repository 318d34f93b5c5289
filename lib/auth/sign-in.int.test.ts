import { count, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { sessions, userCredentials } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { inviteMember } from '@/lib/users/invite-member'
import { deactivateUser } from '@/lib/users/set-user-status'
import { auditRows, createMember, roleKeyOf, userRow } from '@/test/factories'
import { ADMIN, asUser, setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { verifyPassword } from './passwords'
import { resolvePortalSession } from './sessions'
import { InvalidCredentialsError, signInWithPassword } from './sign-in'

// A transparent spy: sign-in's calls reach the real argon2 verification and are counted. The dummy
// check for unknown or locked accounts runs inside passwords.ts and is not counted.
vi.mock('./passwords', async (importOriginal) => {
  const real = await importOriginal<typeof import('./passwords')>()
  return { ...real, verifyPassword: vi.fn(real.verifyPassword) }
})

const at = (date: Date): Ctx => ({ actor: null, ip: '203.0.113.7', userAgent: 'vitest', now: () => date })
const plus = (date: Date, ms: number) => new Date(date.getTime() + ms)

describe('signing in with a password (AUTH-1, AUTH-3)', () => {
  const database = useTestDatabase()
  let admin: () => Ctx

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
  })

  const credentialOf = async (userKey: string) => (await database.current().db.select().from(userCredentials).where(eq(userCredentials.userKey, userKey)))[0]
  const failure = (p: Promise<unknown>) => p.then(() => expect.unreachable('signed in'), (e: unknown) => e as InvalidCredentialsError)

  it('opens a session that resolves, records the sign-in and the time', async () => {
    const member = await createMember(admin())
    const now = new Date()
    const { userKey, sessionToken } = await signInWithPassword(at(now), { email: member.email.toUpperCase(), password: member.password })
    expect(userKey).toBe(member.userKey)
    expect(sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const live = await resolvePortalSession(database.current().db, sessionToken, now)
    expect(live).toMatchObject({ userKey: member.userKey, email: member.email })
    expect((await userRow(member.userKey)).lastLoginAt).toEqual(now)
    const [event] = await auditRows('auth.signed_in', member.userKey)
    expect(event).toMatchObject({ actorKey: member.userKey, actorLabel: member.email, ip: '203.0.113.7', userAgent: 'vitest' })
    expect(JSON.stringify(event)).not.toContain(member.password)
    expect(JSON.stringify(event)).not.toContain(sessionToken)
  })

  it('gives one answer for a wrong password, an unknown email, an inactive user and an invited user', async () => {
    const member = await createMember(admin())
    const inactive = await createMember(admin())
    await deactivateUser(admin(), { userKey: inactive.userKey })
    const invitedEmail = uniqueEmail('invited')
    await inviteMember(admin(), { email: invitedEmail, roleKey: await roleKeyOf('Developer') })
    const signedInBefore = (await auditRows('auth.signed_in')).length
    const sessionCount = async () => (await database.current().db.select({ n: count() }).from(sessions))[0].n
    const sessionsBefore = await sessionCount()

    const errors = [
      await failure(signInWithPassword(at(new Date()), { email: member.email, password: member.password + 'x' })),
      await failure(signInWithPassword(at(new Date()), { email: uniqueEmail('nobody'), password: member.password })),
      await failure(signInWithPassword(at(new Date()), { email: inactive.email, password: inactive.password })),
      await failure(signInWithPassword(at(new Date()), { email: invitedEmail, password: member.password })),
      await failure(signInWithPassword(at(new Date()), { email: 'not-an-email', password: member.password })),
      await failure(signInWithPassword(at(new Date()), { email: member.email })),
    ]
    for (const error of errors) {
      expect(error).toBeInstanceOf(InvalidCredentialsError)
      expect(error.message).toBe(errors[0].message)
      expect(error.status).toBe(401)
    }
    expect((await auditRows('auth.signed_in')).length).toBe(signedInBefore)
    expect(await sessionCount()).toBe(sessionsBefore)
  })

  it('locks after five failures, refuses even the right password while locked, and resets on success after the lock', async () => {
    const member = await createMember(admin())
    const t0 = new Date()
    for (let i = 0; i < 5; i++) await failure(signInWithPassword(at(t0), { email: member.email, password: 'Wrong-Password-99' }))
    const locked = await credentialOf(member.userKey)
    expect(locked.failedAttempts).toBe(5)
    expect(locked.lockedUntil).toEqual(plus(t0, 2_000))
    const [lockEvent] = await auditRows('user.locked_out', member.userKey)
    expect(lockEvent.changes).toMatchObject({ failedAttempts: 5 })

    const refused = await failure(signInWithPassword(at(plus(t0, 1_000)), { email: member.email, password: member.password }))
    expect(refused).toBeInstanceOf(InvalidCredentialsError)
    expect(refused.message).toBe(new InvalidCredentialsError().message)
    // Each attempt while locked lengthens the lock.
    expect(await credentialOf(member.userKey)).toMatchObject({ failedAttempts: 6, lockedUntil: plus(t0, 1_000 + 4_000) })

    const later = plus(t0, 10 * 60_000)
    const { sessionToken } = await signInWithPassword(at(later), { email: member.email, password: member.password })
    expect(await resolvePortalSession(database.current().db, sessionToken, later)).toMatchObject({ userKey: member.userKey })
    expect(await credentialOf(member.userKey)).toMatchObject({ failedAttempts: 0, lockedUntil: null })

    // The counter starts again from zero: four new failures do not lock.
    for (let i = 0; i < 4; i++) await failure(signInWithPassword(at(later), { email: member.email, password: 'Wrong-Password-99' }))
    expect(await credentialOf(member.userKey)).toMatchObject({ failedAttempts: 4, lockedUntil: null })
    await signInWithPassword(at(later), { email: member.email, password: member.password })
  })

  it('counts every one of 20 parallel wrong attempts and verifies the password at most five times', async () => {
    const member = await createMember(admin())
    const [{ passwordHash }] = await database.current().db.select().from(userCredentials).where(eq(userCredentials.userKey, member.userKey))
    const now = new Date()
    vi.mocked(verifyPassword).mockClear()

    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => signInWithPassword(at(now), { email: member.email, password: `Wrong-Password-${i}` })))

    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof InvalidCredentialsError)).toBe(true)
    const verified = vi.mocked(verifyPassword).mock.calls.filter(([hash]) => hash === passwordHash)
    expect(verified.length).toBeGreaterThan(0)
    expect(verified.length).toBeLessThanOrEqual(5)
    const credential = await credentialOf(member.userKey)
    expect(credential.failedAttempts).toBe(20)
    expect(credential.lockedUntil!.getTime()).toBeGreaterThan(now.getTime())
    expect(await auditRows('user.locked_out', member.userKey)).toHaveLength(1)

    // Locked: the right password is refused with the same answer, and is not even checked.
    vi.mocked(verifyPassword).mockClear()
    const refused = await failure(signInWithPassword(at(plus(now, 1_000)), { email: member.email, password: member.password }))
    expect(refused.message).toBe(new InvalidCredentialsError().message)
    expect(vi.mocked(verifyPassword)).not.toHaveBeenCalled()
    expect((await credentialOf(member.userKey)).failedAttempts).toBe(21)
  })
})
