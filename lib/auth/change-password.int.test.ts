import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { auditEvents, mailOutbox, userCredentials } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { ForbiddenError, UnauthenticatedError, ValidationError } from '@/lib/errors'
import { credentialOf, insertUserWithPassword, mailsTo, openStageSessionFor, plus, sessionRow } from '@/lib/hosted/account-test-support'
import { auditRows, createMember, rowCounts, signIn } from '@/test/factories'
import { ADMIN, anonymous, asUser, setupOrganization, useTestDatabase } from '@/test/harness'
import { changePassword, CURRENT_PASSWORD_REFUSED } from './change-password'
import { verifyPassword } from './passwords'
import { resolvePortalSession } from './sessions'
import { InvalidCredentialsError, signInWithPassword } from './sign-in'

// A transparent spy, as in sign-in's test: calls reach the real argon2 verification and are counted.
vi.mock('./passwords', async (importOriginal) => {
  const real = await importOriginal<typeof import('./passwords')>()
  return { ...real, verifyPassword: vi.fn(real.verifyPassword) }
})

const NEW_PASSWORD = 'Fresh-Meadow-Lamp-77'
const WRONG = 'Wrong-Password-99'
const refusal = (p: Promise<unknown>) => p.then(() => expect.unreachable('accepted'), (e: unknown) => e as ValidationError)

describe('changing one’s own password (UI-12, HOST-1, AUTH-3)', () => {
  const database = useTestDatabase()
  let admin: () => Ctx

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
  })

  const traces = () => rowCounts({ mail: mailOutbox, audit: auditEvents })

  it('a member on the portal: the new password works, the session in use stays and every other one ends', async () => {
    const member = await createMember(admin())
    const current = await signIn(member.email, member.password)
    const other = await signIn(member.email, member.password)
    const stage = await openStageSessionFor(member, 'DEV')

    expect(await changePassword(current.ctx(), { currentPassword: member.password, newPassword: NEW_PASSWORD })).toEqual({ sessionsEnded: 2 })

    const db = database.current().db
    expect(await resolvePortalSession(db, current.token, new Date())).toMatchObject({ userKey: member.userKey })
    expect(await resolvePortalSession(db, other.token, new Date())).toBeNull()
    expect((await sessionRow(stage.idHash)).revokedAt).toBeInstanceOf(Date)
    await expect(signInWithPassword(anonymous(), { email: member.email, password: member.password })).rejects.toBeInstanceOf(InvalidCredentialsError)
    await signInWithPassword(anonymous(), { email: member.email, password: NEW_PASSWORD })

    const [mail] = await mailsTo(member.email)
    expect(mail.template).toBe('password-changed')
    expect(mail.textBody).toContain(`http://localhost:3000/forgot-password?email=${encodeURIComponent(member.email)}`)
    const [event] = await auditRows('user.password_changed', member.userKey)
    expect(event).toMatchObject({ actorKey: member.userKey, changes: { where: 'portal', sessionsEnded: 2 } })
    for (const secret of [member.password, NEW_PASSWORD]) expect(JSON.stringify(event)).not.toContain(secret)
    expect((await credentialOf(member.userKey)).passwordChangedAt).toBeInstanceOf(Date)
  })

  it('an end-user on a stage: keeps that stage session, and the notice points to the stage’s reset page', async () => {
    const endUser = await insertUserWithPassword()
    const here = await openStageSessionFor(endUser, 'QA')
    const elsewhere = await openStageSessionFor(endUser, 'PRD')
    expect(await changePassword(here.ctx(), { currentPassword: endUser.password, newPassword: NEW_PASSWORD })).toEqual({ sessionsEnded: 1 })
    expect((await sessionRow(here.idHash)).revokedAt).toBeNull()
    expect((await sessionRow(elsewhere.idHash)).revokedAt).toBeInstanceOf(Date)
    const [mail] = await mailsTo(endUser.email)
    expect(mail.textBody).toContain(`/s/QA/forgot-password?email=${encodeURIComponent(endUser.email)}`)
    expect((await auditRows('user.password_changed', endUser.userKey))[0].changes).toMatchObject({ where: 'QA' })
  })

  it('counts a wrong current password like a failed sign-in, locks after five, and refuses the right one while locked', async () => {
    const endUser = await insertUserWithPassword()
    const t0 = new Date()
    const session = await openStageSessionFor(endUser, 'DEV', t0)
    for (let attempt = 1; attempt <= 5; attempt++) {
      const error = await refusal(changePassword(session.ctx(t0), { currentPassword: WRONG, newPassword: NEW_PASSWORD }))
      expect(error.fieldErrors.currentPassword).toEqual([CURRENT_PASSWORD_REFUSED])
    }
    expect(await credentialOf(endUser.userKey)).toMatchObject({ failedAttempts: 5, lockedUntil: plus(t0, 2_000) })
    const [lock] = await auditRows('user.locked_out', endUser.userKey)
    expect(lock.changes).toMatchObject({ failedAttempts: 5, during: 'password_change' })

    vi.mocked(verifyPassword).mockClear()
    const locked = await refusal(changePassword(session.ctx(plus(t0, 1_000)), { currentPassword: endUser.password, newPassword: NEW_PASSWORD }))
    expect(locked.fieldErrors.currentPassword).toEqual([CURRENT_PASSWORD_REFUSED])
    expect(vi.mocked(verifyPassword)).not.toHaveBeenCalled()
    expect((await credentialOf(endUser.userKey)).failedAttempts).toBe(6)
    // The lockout is the account's: sign-in is locked too.
    await expect(signInWithPassword({ ...anonymous(), now: () => plus(t0, 1_500) }, { email: endUser.email, password: endUser.password })).rejects.toBeInstanceOf(InvalidCredentialsError)
    expect(await auditRows('user.password_changed', endUser.userKey)).toEqual([])

    const later = plus(t0, 10 * 60_000)
    await changePassword(session.ctx(later), { currentPassword: endUser.password, newPassword: NEW_PASSWORD })
    expect(await credentialOf(endUser.userKey)).toMatchObject({ failedAttempts: 0, lockedUntil: null })
  })

  it('counts every one of 12 parallel wrong attempts and checks the password at most five times', async () => {
    const endUser = await insertUserWithPassword()
    const { passwordHash } = await credentialOf(endUser.userKey)
    const session = await openStageSessionFor(endUser, 'DEV')
    vi.mocked(verifyPassword).mockClear()
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => changePassword(session.ctx(), { currentPassword: `${WRONG}-${i}`, newPassword: NEW_PASSWORD })))
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof ValidationError)).toBe(true)
    const verified = vi.mocked(verifyPassword).mock.calls.filter(([hash]) => hash === passwordHash)
    expect(verified.length).toBeLessThanOrEqual(5)
    expect((await credentialOf(endUser.userKey)).failedAttempts).toBe(12)
  })

  it('checks the new password first, without counting an attempt: policy, and different from the current one', async () => {
    const endUser = await insertUserWithPassword()
    const session = await openStageSessionFor(endUser, 'DEV')
    const before = await traces()
    for (const newPassword of ['short1A', 'alllowercase123', 'Qwerty123456', endUser.password]) {
      const error = await refusal(changePassword(session.ctx(), { currentPassword: endUser.password, newPassword }))
      expect(error.fieldErrors.newPassword).toHaveLength(1)
    }
    const missing = await refusal(changePassword(session.ctx(), { newPassword: NEW_PASSWORD }))
    expect(missing.fieldErrors.currentPassword).toHaveLength(1)
    const extra = await refusal(changePassword(session.ctx(), { currentPassword: endUser.password, newPassword: NEW_PASSWORD, userKey: endUser.userKey }))
    expect(extra.fieldErrors.form).toHaveLength(1)
    expect((await credentialOf(endUser.userKey)).failedAttempts).toBe(0)
    expect(await traces()).toEqual(before)
  })

  it('is for signed-in, active users; a member changes the shared password on the portal, not on a stage', async () => {
    await expect(changePassword(anonymous(), { currentPassword: 'x', newPassword: NEW_PASSWORD })).rejects.toBeInstanceOf(UnauthenticatedError)
    const inactive = await insertUserWithPassword({ status: 'Inactive' })
    await expect(changePassword(asUser(inactive.userKey), { currentPassword: inactive.password, newPassword: NEW_PASSWORD })).rejects.toBeInstanceOf(UnauthenticatedError)

    const member = await createMember(admin())
    const onStage = await openStageSessionFor(member, 'DEV')
    const before = await traces()
    await expect(changePassword(onStage.ctx(), { currentPassword: member.password, newPassword: NEW_PASSWORD })).rejects.toBeInstanceOf(ForbiddenError)
    expect(await traces()).toEqual(before)
    expect((await credentialOf(member.userKey)).failedAttempts).toBe(0)
  })

  it('refuses a user without a password (external provider only) with a clear message', async () => {
    const user = await insertUserWithPassword({ password: null })
    await expect(changePassword(asUser(user.userKey), { currentPassword: 'anything', newPassword: NEW_PASSWORD })).rejects.toThrow(/no password here/)
    const [row] = await database.current().db.select().from(userCredentials).where(eq(userCredentials.userKey, user.userKey))
    expect(row.failedAttempts).toBe(0)
  })
})
