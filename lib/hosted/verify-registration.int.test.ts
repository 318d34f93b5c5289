import { eq } from 'drizzle-orm'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { groupMembers, sessions } from '@/db/schema'
import { loadHoldings } from '@/lib/access/end-user-roles'
import { verifyPassword } from '@/lib/auth/passwords'
import { resolveStageSession } from '@/lib/auth/stage-sessions'
import { ForbiddenError, ValidationError } from '@/lib/errors'
import { createApp, createAppRole, createGroup } from '@/test/access-factories'
import { auditRows, PASSWORD, stageKeyOf, userRow } from '@/test/factories'
import { setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { at, codesOf, configureSelfRegistration, credentialOf, MINUTE, plus, registrationMailFor, userByEmail, wrongCodeFor } from './hosted-test-support'
import { signInToStage } from './sign-in'
import { signUp } from './sign-up'
import { CODE_NOT_RIGHT, verifyRegistration } from './verify-registration'

describe('finishing a self-registration (AUTH-6)', () => {
  useTestDatabase()
  let qa: string
  let groupKey: string
  let approverInQa: string

  beforeAll(async () => {
    await setupOrganization()
    const app = await createApp('Orders')
    const role = await createAppRole(app.key, 'Approver')
    approverInQa = role.instances.get('QA')!
    groupKey = await createGroup('Self-registered', 'QA', { instanceKeys: [approverInQa] })
  })

  beforeEach(async () => {
    qa = await configureSelfRegistration('QA', { groupKeys: [groupKey] })
  })

  async function pending(now = new Date()) {
    const email = uniqueEmail('verify')
    await signUp(at(now), { stageKey: qa, name: 'Vera Verify', email })
    const { code } = await registrationMailFor(email)
    const user = await userByEmail(email)
    return { email, code, userKey: user.key, wrong: wrongCodeFor(code) }
  }

  const refusal = (p: Promise<unknown>) => p.then(() => expect.unreachable('verified'), (e: unknown) => e as ValidationError)

  it('makes the user Active and verified, joins the registration groups and opens a stage session', async () => {
    const now = new Date()
    const { email, code, userKey } = await pending(now)
    const result = await verifyRegistration(at(plus(now, 5 * MINUTE)), { stageKey: qa, email, code: ` ${code} `, password: PASSWORD })
    expect(result).toMatchObject({ userKey, sessionToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) })
    expect(result.expiresAt).toEqual(plus(now, 5 * MINUTE + 12 * 60 * MINUTE))

    const verifiedAt = plus(now, 5 * MINUTE)
    expect(await userRow(userKey)).toMatchObject({ status: 'Active', isEmailVerified: true, isEndUser: true, isMember: false, lastLoginAt: verifiedAt })
    const credential = await credentialOf(userKey)
    expect(await verifyPassword(credential.passwordHash!, PASSWORD)).toBe(true)
    expect(credential).toMatchObject({ failedAttempts: 0, passwordChangedAt: verifiedAt })

    const db = await getDb()
    expect(await db.select().from(groupMembers).where(eq(groupMembers.userKey, userKey))).toEqual([expect.objectContaining({ groupKey, type: 'Assigned' })])
    const holdings = await db.transaction((tx) => loadHoldings(tx, userKey))
    expect(holdings).toEqual([expect.objectContaining({ instanceKey: approverInQa, roleName: 'Approver', stageCode: 'QA', source: expect.objectContaining({ type: 'Group', groupKey }) })])

    const live = await resolveStageSession(db, result.sessionToken, qa, plus(now, 6 * MINUTE))
    expect(live).toMatchObject({ userKey, email, stageKey: qa })
    // Bound to its stage.
    expect(await resolveStageSession(db, result.sessionToken, await stageKeyOf('PRD'), plus(now, 6 * MINUTE))).toBeNull()

    const [event] = await auditRows('user.registered', userKey)
    expect(event).toMatchObject({ actorKey: userKey, actorLabel: email })
    expect(event.changes).toMatchObject({ stage: 'QA', groups: ['Self-registered'], before: { status: 'PendingRegistration' }, after: { status: 'Active', isEmailVerified: true } })
    expect(JSON.stringify(event)).not.toContain(PASSWORD)
    expect(JSON.stringify(event)).not.toContain(code)
    expect(await auditRows('group.member_added', groupKey)).toEqual(expect.arrayContaining([expect.objectContaining({ actorKey: userKey })]))

    // The code is spent, and the password signs in.
    expect((await codesOf(userKey))[0].usedAt).toEqual(verifiedAt)
    const again = await refusal(verifyRegistration(at(plus(now, 6 * MINUTE)), { stageKey: qa, email, code, password: PASSWORD }))
    expect(again.fieldErrors.code).toEqual([CODE_NOT_RIGHT])
    await signInToStage(at(plus(now, 7 * MINUTE)), { stageKey: qa, email, password: PASSWORD })
  })

  it('counts wrong codes against the code and the lockout, and the fifth kills the code', async () => {
    const now = new Date()
    const { email, code, userKey, wrong } = await pending(now)
    for (let attempt = 1; attempt <= 4; attempt++) {
      const error = await refusal(verifyRegistration(at(now), { stageKey: qa, email, code: wrong, password: PASSWORD }))
      expect(error).toBeInstanceOf(ValidationError)
      expect(error.fieldErrors.code).toEqual([`That code is not right or has expired. ${5 - attempt} attempt(s) left.`])
      expect((await codesOf(userKey))[0].failedAttempts).toBe(attempt)
      expect((await credentialOf(userKey)).failedAttempts).toBe(attempt)
    }
    const fifth = await refusal(verifyRegistration(at(now), { stageKey: qa, email, code: wrong, password: PASSWORD }))
    expect(fifth.fieldErrors.code).toEqual([CODE_NOT_RIGHT])
    const [dead] = await codesOf(userKey)
    expect(dead).toMatchObject({ failedAttempts: 5, revokedAt: now })
    expect((await credentialOf(userKey)).lockedUntil).toEqual(plus(now, 2_000))

    // Even the right code no longer works, once the short lock has passed.
    const later = plus(now, MINUTE)
    const dies = await refusal(verifyRegistration(at(later), { stageKey: qa, email, code, password: PASSWORD }))
    expect(dies.fieldErrors.code).toEqual([CODE_NOT_RIGHT])
    expect(await userRow(userKey)).toMatchObject({ status: 'PendingRegistration', isEmailVerified: false })
    expect((await credentialOf(userKey)).passwordHash).toBeNull()
    expect(await auditRows('user.registered', userKey)).toEqual([])

    // Signing up again is the way out: a fresh code works.
    await signUp(at(later), { stageKey: qa, name: 'Vera Again', email })
    const fresh = await registrationMailFor(email)
    await verifyRegistration(at(later), { stageKey: qa, email, code: fresh.code, password: PASSWORD })
    expect((await userRow(userKey)).status).toBe('Active')
  })

  it('refuses the code once 15 minutes have passed, without counting', async () => {
    const now = new Date()
    const { email, code, userKey } = await pending(now)
    const expired = await refusal(verifyRegistration(at(plus(now, 15 * MINUTE)), { stageKey: qa, email, code, password: PASSWORD }))
    expect(expired.fieldErrors.code).toEqual([CODE_NOT_RIGHT])
    expect((await codesOf(userKey))[0].failedAttempts).toBe(0)
    expect((await userRow(userKey)).status).toBe('PendingRegistration')
    // A minute earlier it would have worked.
    await verifyRegistration(at(plus(now, 14 * MINUTE)), { stageKey: qa, email, code, password: PASSWORD })
  })

  it('refuses a weak password with a field error, leaving the code unspent and uncounted', async () => {
    const { email, code, userKey } = await pending()
    for (const password of ['short1A', 'alllowercase123', 'Qwerty123456']) {
      const error = await refusal(verifyRegistration(at(new Date()), { stageKey: qa, email, code, password }))
      expect(error.fieldErrors.password).toHaveLength(1)
    }
    expect((await codesOf(userKey))[0]).toMatchObject({ failedAttempts: 0, usedAt: null })
    expect((await userRow(userKey)).status).toBe('PendingRegistration')
    await verifyRegistration(at(new Date()), { stageKey: qa, email, code, password: PASSWORD })
    expect((await userRow(userKey)).status).toBe('Active')
  })

  it('gives one answer for an unknown address, an account that is not pending, and a code from another stage', async () => {
    const { email: activeEmail, code: activeCode } = await pending()
    await verifyRegistration(at(new Date()), { stageKey: qa, email: activeEmail, code: activeCode, password: PASSWORD })

    const dev = await configureSelfRegistration('DEV')
    const devEmail = uniqueEmail('dev')
    await signUp(at(new Date()), { stageKey: dev, name: 'Dev Person', email: devEmail })
    const devCode = (await registrationMailFor(devEmail)).code

    const answers = [
      await refusal(verifyRegistration(at(new Date()), { stageKey: qa, email: uniqueEmail('nobody'), code: '123456', password: PASSWORD })),
      await refusal(verifyRegistration(at(new Date()), { stageKey: qa, email: activeEmail, code: activeCode, password: PASSWORD })),
      await refusal(verifyRegistration(at(new Date()), { stageKey: qa, email: devEmail, code: devCode, password: PASSWORD })),
    ]
    for (const answer of answers) expect(answer.fieldErrors.code).toEqual([CODE_NOT_RIGHT])
    // The DEV code still works on DEV.
    await verifyRegistration(at(new Date()), { stageKey: dev, email: devEmail, code: devCode, password: PASSWORD })
  })

  it('refuses when self-registration was turned off since the code was sent', async () => {
    const { email, code, userKey } = await pending()
    await configureSelfRegistration('QA', { enabled: false })
    await expect(verifyRegistration(at(new Date()), { stageKey: qa, email, code, password: PASSWORD })).rejects.toBeInstanceOf(ForbiddenError)
    expect(await userRow(userKey)).toMatchObject({ status: 'PendingRegistration' })
    expect((await codesOf(userKey))[0]).toMatchObject({ failedAttempts: 0, usedAt: null })
    const db = await getDb()
    expect(await db.select().from(sessions).where(eq(sessions.userKey, userKey))).toEqual([])
  })

  it('joins no group when the stage has none, and the user is then not an end-user yet', async () => {
    await configureSelfRegistration('QA')
    const { email, code, userKey } = await pending()
    await verifyRegistration(at(new Date()), { stageKey: qa, email, code, password: PASSWORD })
    expect(await userRow(userKey)).toMatchObject({ status: 'Active', isEndUser: false })
    expect((await auditRows('user.registered', userKey))[0].changes).not.toHaveProperty('groups')
  })

  it('refuses malformed input', async () => {
    const { email } = await pending()
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ stageKey: qa, email, code: '12345', password: PASSWORD }, 'code'],
      [{ stageKey: qa, email, code: 'abcdef', password: PASSWORD }, 'code'],
      [{ stageKey: qa, email, code: '123456' }, 'password'],
      [{ stageKey: qa, email, code: '123456', password: PASSWORD, status: 'Active' }, 'form'],
    ]
    for (const [input, field] of cases) expect((await refusal(verifyRegistration(at(new Date()), input))).fieldErrors[field]).toBeDefined()
  })
})
