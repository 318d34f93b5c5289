import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { auditEvents, mailOutbox, userCredentials, users, verificationCodes } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { ForbiddenError, ValidationError } from '@/lib/errors'
import { inviteMember } from '@/lib/users/invite-member'
import { auditRows, createMember, roleKeyOf, rowCounts, userRow } from '@/test/factories'
import { ADMIN, asUser, setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { at, codesOf, configureSelfRegistration, credentialOf, mailsTo, MINUTE, openCodesOf, plus, registrationMailFor, userByEmail } from './hosted-test-support'
import { signUp } from './sign-up'

const counts = () => rowCounts({ users, userCredentials, verificationCodes, mailOutbox, auditEvents })

describe('self-registration on a stage (AUTH-6)', () => {
  useTestDatabase()
  let admin: () => Ctx
  let qa: string

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
  })

  beforeEach(async () => {
    qa = await configureSelfRegistration('QA')
  })

  it('creates a pending registration and mails a 15-minute code with a link that fills in the address', async () => {
    const email = uniqueEmail('new')
    const now = new Date()
    expect(await signUp(at(now), { stageKey: qa, name: '  Nora New ', email: email.toUpperCase() })).toEqual({ accepted: true })

    const user = await userByEmail(email)
    expect(user).toMatchObject({ name: 'Nora New', status: 'PendingRegistration', isEmailVerified: false, isMember: false, isEndUser: false })
    // An empty credential, so that wrong codes count toward the account's lockout.
    expect(await credentialOf(user.key)).toMatchObject({ passwordHash: null, failedAttempts: 0 })
    const [code] = await openCodesOf(user.key)
    expect(code).toMatchObject({ purpose: 'registration', stageKey: qa, failedAttempts: 0, expiresAt: plus(now, 15 * MINUTE) })

    const mail = await registrationMailFor(email)
    expect(mail.link).toBe(`http://localhost:3000/s/QA/verify?email=${encodeURIComponent(email)}`)
    expect(mail.text).toContain('15 minutes')
    expect(mail.html).toContain(mail.code)
    expect(code.codeHash).not.toContain(mail.code)

    const [event] = await auditRows('user.registration_started', user.key)
    expect(event).toMatchObject({ actorType: 'system', actorKey: null, actorLabel: 'anonymous', targetLabel: email, ip: '127.0.0.1' })
    expect(event.changes).toMatchObject({ stage: 'QA', repeated: false, after: { status: 'PendingRegistration', name: 'Nora New' } })
    expect(JSON.stringify(event)).not.toContain(mail.code)
  })

  it('sends a fresh code to a pending address and kills the old one', async () => {
    const email = uniqueEmail('again')
    const t0 = new Date()
    await signUp(at(t0), { stageKey: qa, name: 'First Name', email })
    const first = await registrationMailFor(email)
    const user = await userByEmail(email)

    await signUp(at(plus(t0, MINUTE)), { stageKey: qa, name: 'Second Name', email })
    const second = await registrationMailFor(email)
    expect((await mailsTo(email)).filter((m) => m.template === 'registration-code')).toHaveLength(2)

    const codes = await codesOf(user.key)
    expect(codes).toHaveLength(2)
    expect(codes[0].revokedAt).toEqual(plus(t0, MINUTE))
    expect(codes[1]).toMatchObject({ revokedAt: null, usedAt: null, expiresAt: plus(t0, 16 * MINUTE) })
    expect(await openCodesOf(user.key)).toHaveLength(1)
    expect(second.text).toContain('Second Name')
    expect(second.code).toMatch(/^\d{6}$/)
    expect(first.link).toBe(second.link)

    expect(await userByEmail(email)).toMatchObject({ key: user.key, name: 'Second Name', status: 'PendingRegistration' })
    const events = await auditRows('user.registration_started', user.key)
    expect(events).toHaveLength(2)
    expect(events[1].changes).toMatchObject({ repeated: true, before: { name: 'First Name' }, after: { name: 'Second Name' } })
  })

  it('changes nothing for an address that already has an account and tells its owner by email', async () => {
    const member = await createMember(admin())
    const invitedEmail = uniqueEmail('invited')
    await inviteMember(admin(), { email: invitedEmail, roleKey: await roleKeyOf('Developer') })

    for (const email of [member.email, invitedEmail]) {
      const before = await userByEmail(email)
      const credentialBefore = await credentialOf(before.key)
      expect(await signUp(at(new Date()), { stageKey: qa, name: 'Someone Else', email })).toEqual({ accepted: true })
      expect(await userByEmail(email)).toEqual(before)
      expect(await credentialOf(before.key)).toEqual(credentialBefore)
      expect(await codesOf(before.key)).toEqual([])
      const [mail] = await mailsTo(email)
      expect(mail).toMatchObject({ template: 'already-registered' })
      expect(mail.textBody).toContain('http://localhost:3000/s/QA/sign-in')
      expect(mail.textBody).toContain('http://localhost:3000/s/QA/forgot-password')
      expect(await auditRows('user.registration_started', before.key)).toEqual([])
      expect(await auditRows('user.registration_existing_account', before.key)).toHaveLength(1)
    }
  })

  it('answers a new, a pending and an existing address with the same result', async () => {
    const member = await createMember(admin())
    const pending = uniqueEmail('pending')
    await signUp(at(new Date()), { stageKey: qa, name: 'Pending Person', email: pending })

    const results = [
      await signUp(at(new Date()), { stageKey: qa, name: 'New Person', email: uniqueEmail('fresh') }),
      await signUp(at(new Date()), { stageKey: qa, name: 'Pending Person', email: pending }),
      await signUp(at(new Date()), { stageKey: qa, name: 'Member Person', email: member.email }),
    ]
    expect(results[1]).toStrictEqual(results[0])
    expect(results[2]).toStrictEqual(results[0])
  })

  it('refuses when self-registration is off for the stage, writing nothing', async () => {
    const prd = await configureSelfRegistration('PRD', { enabled: false })
    const before = await counts()
    const error = await signUp(at(new Date()), { stageKey: prd, name: 'Closed Door', email: uniqueEmail('closed') }).catch((e) => e)
    expect(error).toBeInstanceOf(ForbiddenError)
    expect(error.message).toMatch(/not open/)
    // Existing accounts get no mail either: the stage says no before anything is looked up.
    await expect(signUp(at(new Date()), { stageKey: prd, name: 'Admin', email: ADMIN.email })).rejects.toBeInstanceOf(ForbiddenError)
    expect(await counts()).toEqual(before)
  })

  it('accepts only the allowed email domains when some are set, naming them', async () => {
    await configureSelfRegistration('QA', { domains: ['acme.test', 'partner.test'] })
    const before = await counts()
    for (const email of [uniqueEmail('outsider'), 'someone@sub.acme.test', 'acme.test@evil.test']) {
      const error = await signUp(at(new Date()), { stageKey: qa, name: 'Out Sider', email }).catch((e) => e)
      expect(error).toBeInstanceOf(ValidationError)
      expect(error.fieldErrors.email).toEqual(['Sign-up here is open to addresses at acme.test or partner.test only.'])
    }
    expect(await counts()).toEqual(before)

    const email = `insider.${Date.now()}@Partner.TEST`
    await signUp(at(new Date()), { stageKey: qa, name: 'In Sider', email })
    expect(await userByEmail(email.toLowerCase())).toMatchObject({ status: 'PendingRegistration' })
  })

  it('refuses malformed input and unknown fields before looking anything up', async () => {
    const before = await counts()
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ stageKey: qa, email: uniqueEmail() }, 'name'],
      [{ stageKey: qa, name: 'No Email' }, 'email'],
      [{ stageKey: qa, name: 'Bad Email', email: 'not-an-email' }, 'email'],
      [{ stageKey: qa, name: 'x'.repeat(121), email: uniqueEmail() }, 'name'],
      [{ stageKey: 'QA', name: 'Bad Stage', email: uniqueEmail() }, 'stageKey'],
      [{ stageKey: qa, name: 'Sneaky', email: uniqueEmail(), status: 'Active' }, 'form'],
    ]
    for (const [input, field] of cases) {
      const error = await signUp(at(new Date()), input).catch((e) => e)
      expect(error).toBeInstanceOf(ValidationError)
      expect(error.fieldErrors[field]).toBeDefined()
    }
    expect(await counts()).toEqual(before)
  })

  it('keeps one pending user when the same new address signs up twice at once', async () => {
    const email = uniqueEmail('twice')
    const results = await Promise.all([signUp(at(new Date()), { stageKey: qa, name: 'Twin One', email }), signUp(at(new Date()), { stageKey: qa, name: 'Twin Two', email })])
    expect(results).toEqual([{ accepted: true }, { accepted: true }])
    const user = await userByEmail(email)
    expect(user.status).toBe('PendingRegistration')
    expect(await openCodesOf(user.key)).toHaveLength(1)
    expect((await userRow(user.key)).key).toBe(user.key)
  })
})
