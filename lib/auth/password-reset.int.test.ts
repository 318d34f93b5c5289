import { count, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditEvents, mailOutbox, verificationCodes } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { ValidationError } from '@/lib/errors'
import { credentialOf, insertUserWithPassword, liveSessionCount, mailsTo, MINUTE, openStageSessionFor, plus, resetMailFor, sessionRow, stageOf, wrongCodeFor } from '@/lib/hosted/account-test-support'
import { inviteMember } from '@/lib/users/invite-member'
import { auditRows, createMember, roleKeyOf, rowCounts, signIn } from '@/test/factories'
import { ADMIN, anonymous, asUser, setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { finishPasswordReset, RESET_REFUSED, startPasswordReset } from './password-reset'
import { resolvePortalSession } from './sessions'
import { InvalidCredentialsError, signInWithPassword } from './sign-in'

const NEW_PASSWORD = 'Fresh-Meadow-Lamp-77'
const at = (date: Date): Ctx => ({ ...anonymous(), now: () => date })
const refusal = (p: Promise<unknown>) => p.then(() => expect.unreachable('accepted'), (e: unknown) => e as ValidationError)

describe('forgot password (AUTH-7)', () => {
  const database = useTestDatabase()
  let admin: () => Ctx
  let devKey: string
  let qaKey: string

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
    devKey = (await stageOf('DEV')).key
    qaKey = (await stageOf('QA')).key
  })

  const db = () => database.current().db
  const traces = () => rowCounts({ mail: mailOutbox, codes: verificationCodes, audit: auditEvents })

  it('sends an Active user a one-hour code with a link to the portal page, and records the request', async () => {
    const member = await createMember(admin())
    const result = await startPasswordReset(anonymous(), { email: ` ${member.email.toUpperCase()} ` })
    expect(result).toEqual({ email: member.email })
    const { code, link, text } = await resetMailFor(member.email)
    expect(link).toBe(`http://localhost:3000/forgot-password?email=${encodeURIComponent(member.email)}`)
    expect(text).toMatch(/expires in 1 hour/)
    const [row] = await db().select().from(verificationCodes).where(eq(verificationCodes.userKey, member.userKey))
    expect(row).toMatchObject({ purpose: 'password_reset', stageKey: null, usedAt: null, revokedAt: null })
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(60 * MINUTE)
    expect(row.codeHash).not.toContain(code)
    const [event] = await auditRows('user.password_reset_requested', member.userKey)
    expect(event).toMatchObject({ actorType: 'system', actorLabel: 'anonymous', changes: { where: 'portal' }, ip: '127.0.0.1' })
    expect(JSON.stringify(event)).not.toContain(code)
  })

  it('answers the same and sends nothing for unknown, invited, pending, inactive and password-less accounts', async () => {
    const invitedEmail = uniqueEmail('invited')
    await inviteMember(admin(), { email: invitedEmail, roleKey: await roleKeyOf('Developer') })
    const pending = await insertUserWithPassword({ status: 'PendingRegistration' })
    const inactive = await insertUserWithPassword({ status: 'Inactive' })
    const noPassword = await insertUserWithPassword({ password: null })
    const before = await traces()
    for (const email of [uniqueEmail('nobody'), invitedEmail, pending.email, inactive.email, noPassword.email]) {
      expect(await startPasswordReset(anonymous(), { email })).toEqual({ email })
      expect(await startPasswordReset(anonymous(), { email, stageKey: devKey })).toEqual({ email })
    }
    expect(await traces()).toEqual(before)
  })

  it('on a stage, sends an end-user a code for that stage’s page and a member a pointer to the portal', async () => {
    const endUser = await insertUserWithPassword()
    await startPasswordReset(anonymous(), { email: endUser.email, stageKey: devKey })
    const { link } = await resetMailFor(endUser.email)
    expect(link).toBe(`http://localhost:3000/s/DEV/forgot-password?email=${encodeURIComponent(endUser.email)}`)
    const [code] = await db().select().from(verificationCodes).where(eq(verificationCodes.userKey, endUser.userKey))
    expect(code.stageKey).toBe(devKey)
    expect((await auditRows('user.password_reset_requested', endUser.userKey))[0].changes).toMatchObject({ where: 'DEV' })

    const member = await createMember(admin())
    const before = await rowCounts({ codes: verificationCodes, audit: auditEvents })
    expect(await startPasswordReset(anonymous(), { email: member.email, stageKey: devKey })).toEqual({ email: member.email })
    const [mail] = await mailsTo(member.email)
    expect(mail.template).toBe('reset-through-portal')
    expect(mail.textBody).toContain(`http://localhost:3000/forgot-password?email=${encodeURIComponent(member.email)}`)
    expect(mail.textBody).not.toMatch(/\b\d{6}\b/)
    expect(await rowCounts({ codes: verificationCodes, audit: auditEvents })).toEqual(before)
  })

  it('changes the password, ends every session (portal and stage), spends the code and sends the notice', async () => {
    const member = await createMember(admin())
    const portal = await signIn(member.email, member.password)
    const stage = await openStageSessionFor(member, 'QA')
    await startPasswordReset(anonymous(), { email: member.email })
    const { code } = await resetMailFor(member.email)

    expect(await finishPasswordReset(anonymous(), { email: member.email, code: ` ${code} `, password: NEW_PASSWORD })).toEqual({ email: member.email })

    expect(await resolvePortalSession(db(), portal.token, new Date())).toBeNull()
    expect((await sessionRow(stage.idHash)).revokedAt).toBeInstanceOf(Date)
    expect(await liveSessionCount(member.userKey)).toBe(0)
    await expect(signInWithPassword(anonymous(), { email: member.email, password: member.password })).rejects.toBeInstanceOf(InvalidCredentialsError)
    const { sessionToken } = await signInWithPassword(anonymous(), { email: member.email, password: NEW_PASSWORD })
    expect(await resolvePortalSession(db(), sessionToken, new Date())).toMatchObject({ userKey: member.userKey })

    const [notice] = await mailsTo(member.email)
    expect(notice.template).toBe('password-changed')
    expect(notice.textBody).toContain('/forgot-password?email=')
    const [event] = await auditRows('user.password_reset', member.userKey)
    expect(event).toMatchObject({ actorKey: member.userKey, actorLabel: member.email, changes: { where: 'portal', sessionsEnded: 2 } })
    for (const secret of [code, NEW_PASSWORD, member.password]) expect(JSON.stringify(event)).not.toContain(secret)

    // The code is spent.
    const replay = await refusal(finishPasswordReset(anonymous(), { email: member.email, code, password: 'Another-Fresh-Pass-88' }))
    expect(replay.fieldErrors.code).toEqual([RESET_REFUSED])
  })

  it('works on the stage that sent the code and nowhere else', async () => {
    const endUser = await insertUserWithPassword()
    await startPasswordReset(anonymous(), { email: endUser.email, stageKey: devKey })
    const { code } = await resetMailFor(endUser.email)
    for (const elsewhere of [{}, { stageKey: qaKey }]) {
      const error = await refusal(finishPasswordReset(anonymous(), { email: endUser.email, code, password: NEW_PASSWORD, ...elsewhere }))
      expect(error.fieldErrors.code).toEqual([RESET_REFUSED])
    }
    await finishPasswordReset(anonymous(), { email: endUser.email, code, password: NEW_PASSWORD, stageKey: devKey })
    await signInWithPassword(anonymous(), { email: endUser.email, password: NEW_PASSWORD })
    expect((await auditRows('user.password_reset', endUser.userKey))[0].changes).toMatchObject({ where: 'DEV' })
    const [notice] = await mailsTo(endUser.email)
    expect(notice.textBody).toContain('/s/DEV/forgot-password?email=')
  })

  it('expires the code after one hour', async () => {
    const endUser = await insertUserWithPassword()
    const t0 = new Date()
    await startPasswordReset(at(t0), { email: endUser.email })
    const { code } = await resetMailFor(endUser.email)
    const late = await refusal(finishPasswordReset(at(plus(t0, 60 * MINUTE)), { email: endUser.email, code, password: NEW_PASSWORD }))
    expect(late.fieldErrors.code).toEqual([RESET_REFUSED])
    expect((await credentialOf(endUser.userKey)).failedAttempts).toBe(0)
    await finishPasswordReset(at(plus(t0, 59 * MINUTE)), { email: endUser.email, code, password: NEW_PASSWORD })
    await signInWithPassword(anonymous(), { email: endUser.email, password: NEW_PASSWORD })
  })

  it('counts wrong codes on the code and on the account lockout; the fifth kills the code and locks the account', async () => {
    const endUser = await insertUserWithPassword()
    const t0 = new Date()
    await startPasswordReset(at(t0), { email: endUser.email })
    const { code } = await resetMailFor(endUser.email)
    const wrong = wrongCodeFor(code)
    for (let attempt = 1; attempt <= 4; attempt++) {
      const error = await refusal(finishPasswordReset(at(t0), { email: endUser.email, code: wrong, password: NEW_PASSWORD }))
      // The same answer as for an address with no account, so the attempts do not reveal one.
      expect(error.fieldErrors.code).toEqual([RESET_REFUSED])
      expect((await credentialOf(endUser.userKey)).failedAttempts).toBe(attempt)
    }
    const fifth = await refusal(finishPasswordReset(at(t0), { email: endUser.email, code: wrong, password: NEW_PASSWORD }))
    expect(fifth.fieldErrors.code).toEqual([RESET_REFUSED])
    expect(await credentialOf(endUser.userKey)).toMatchObject({ failedAttempts: 5, lockedUntil: plus(t0, 2_000) })
    const [codeRow] = await db().select().from(verificationCodes).where(eq(verificationCodes.userKey, endUser.userKey))
    expect(codeRow).toMatchObject({ failedAttempts: 5, revokedAt: t0 })
    expect(await auditRows('user.locked_out', endUser.userKey)).toHaveLength(1)

    // The right code no longer works, even after the lock.
    const dead = await refusal(finishPasswordReset(at(plus(t0, MINUTE)), { email: endUser.email, code, password: NEW_PASSWORD }))
    expect(dead.fieldErrors.code).toEqual([RESET_REFUSED])
    await expect(signInWithPassword(anonymous(), { email: endUser.email, password: NEW_PASSWORD })).rejects.toBeInstanceOf(InvalidCredentialsError)
    expect(await auditRows('user.password_reset', endUser.userKey)).toEqual([])
  })

  it('refuses a right code while the account is locked, without counting it, with the generic answer', async () => {
    const endUser = await insertUserWithPassword()
    const t0 = new Date()
    for (let i = 0; i < 5; i++) await signInWithPassword(at(t0), { email: endUser.email, password: 'Wrong-Password-99' }).catch(() => null)
    expect((await credentialOf(endUser.userKey)).lockedUntil).toEqual(plus(t0, 2_000))
    await startPasswordReset(at(t0), { email: endUser.email })
    const { code } = await resetMailFor(endUser.email)
    const locked = await refusal(finishPasswordReset(at(plus(t0, 1_000)), { email: endUser.email, code, password: NEW_PASSWORD }))
    expect(locked.fieldErrors.code).toEqual([RESET_REFUSED])
    expect((await credentialOf(endUser.userKey)).failedAttempts).toBe(5)
    // Once the lock has passed the same code works, and the reset clears the lockout.
    await finishPasswordReset(at(plus(t0, 3_000)), { email: endUser.email, code, password: NEW_PASSWORD })
    expect(await credentialOf(endUser.userKey)).toMatchObject({ failedAttempts: 0, lockedUntil: null })
  })

  it('gives one answer for an unknown email, no code, and an expired code', async () => {
    const endUser = await insertUserWithPassword()
    const messages = [
      await refusal(finishPasswordReset(anonymous(), { email: uniqueEmail('nobody'), code: '123456', password: NEW_PASSWORD })),
      await refusal(finishPasswordReset(anonymous(), { email: endUser.email, code: '123456', password: NEW_PASSWORD })),
    ].map((e) => e.fieldErrors.code)
    expect(messages).toEqual([[RESET_REFUSED], [RESET_REFUSED]])
    expect((await credentialOf(endUser.userKey)).failedAttempts).toBe(0)
  })

  it('refuses a password that breaks the policy next to the field, without spending an attempt', async () => {
    const endUser = await insertUserWithPassword()
    await startPasswordReset(anonymous(), { email: endUser.email })
    const { code } = await resetMailFor(endUser.email)
    for (const password of ['short1A', 'alllowercase123', 'Qwerty123456']) {
      const error = await refusal(finishPasswordReset(anonymous(), { email: endUser.email, code, password }))
      expect(error.fieldErrors.password).toHaveLength(1)
      expect(error.fieldErrors.code).toBeUndefined()
    }
    const [codeRow] = await db().select().from(verificationCodes).where(eq(verificationCodes.userKey, endUser.userKey))
    expect(codeRow.failedAttempts).toBe(0)
    expect((await credentialOf(endUser.userKey)).failedAttempts).toBe(0)
    await finishPasswordReset(anonymous(), { email: endUser.email, code, password: NEW_PASSWORD })
  })

  it('a new request replaces the previous code, which then counts as a wrong guess', async () => {
    const endUser = await insertUserWithPassword()
    await startPasswordReset(anonymous(), { email: endUser.email })
    const first = (await resetMailFor(endUser.email)).code
    await startPasswordReset(anonymous(), { email: endUser.email })
    const second = (await resetMailFor(endUser.email)).code
    if (first !== second) {
      const error = await refusal(finishPasswordReset(anonymous(), { email: endUser.email, code: first, password: NEW_PASSWORD }))
      expect(error.fieldErrors.code).toEqual([RESET_REFUSED])
      expect((await credentialOf(endUser.userKey)).failedAttempts).toBe(1)
    }
    await finishPasswordReset(anonymous(), { email: endUser.email, code: second, password: NEW_PASSWORD })
  })

  it('refuses malformed input before looking anything up', async () => {
    const before = await traces()
    await expect(startPasswordReset(anonymous(), { email: 'not-an-email' })).rejects.toMatchObject({ fieldErrors: { email: expect.any(Array) } })
    await expect(startPasswordReset(anonymous(), { email: 'a@b.test', stageKey: 'DEV' })).rejects.toMatchObject({ fieldErrors: { stageKey: expect.any(Array) } })
    await expect(startPasswordReset(anonymous(), { email: 'a@b.test', admin: true })).rejects.toMatchObject({ fieldErrors: { form: expect.any(Array) } })
    await expect(finishPasswordReset(anonymous(), { email: 'a@b.test', code: '12345', password: NEW_PASSWORD })).rejects.toMatchObject({ fieldErrors: { code: expect.any(Array) } })
    await expect(finishPasswordReset(anonymous(), { email: 'a@b.test', code: '123456' })).rejects.toMatchObject({ fieldErrors: { password: expect.any(Array) } })
    await expect(finishPasswordReset(anonymous(), { email: 'a@b.test', code: '123456', password: 'x'.repeat(2000) })).rejects.toMatchObject({ fieldErrors: { password: expect.any(Array) } })
    expect(await traces()).toEqual(before)
    const [{ n }] = await db().select({ n: count() }).from(mailOutbox).where(eq(mailOutbox.toAddress, 'a@b.test'))
    expect(n).toBe(0)
  })

  it('does not sign the user in', async () => {
    const endUser = await insertUserWithPassword()
    await startPasswordReset(anonymous(), { email: endUser.email })
    const { code } = await resetMailFor(endUser.email)
    await finishPasswordReset(anonymous(), { email: endUser.email, code, password: NEW_PASSWORD })
    expect(await liveSessionCount(endUser.userKey)).toBe(0)
    expect(await auditRows('auth.signed_in', endUser.userKey)).toEqual([])
  })
})
