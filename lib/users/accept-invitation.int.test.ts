import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { invitations, userCredentials } from '@/db/schema'
import { resolvePortalSession } from '@/lib/auth/sessions'
import { signInWithPassword } from '@/lib/auth/sign-in'
import type { Ctx } from '@/lib/context'
import { NotFoundError, ValidationError } from '@/lib/errors'
import { auditRows, invitationMailFor, PASSWORD, roleKeyOf, userRow } from '@/test/factories'
import { ADMIN, anonymous, asUser, setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { acceptInvitation, describeInvitation } from './accept-invitation'
import { inviteMember } from './invite-member'

describe('accepting an invitation (AUTH-5)', () => {
  const database = useTestDatabase()
  let admin: () => Ctx

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
  })

  async function invite(name = 'Invitee') {
    const email = uniqueEmail('accept')
    const { userKey } = await inviteMember(admin(), { email, name, roleKey: await roleKeyOf('Developer') })
    const { token, code } = await invitationMailFor(email)
    return { email, userKey, token, code, wrongCode: code === '000000' ? '111111' : '000000' }
  }

  const invitationOf = async (userKey: string) => (await database.current().db.select().from(invitations).where(eq(invitations.userKey, userKey)))[0]

  it('describes an open invitation without anything secret, and nothing for an unknown token', async () => {
    const { email, token } = await invite('Dana Described')
    expect(await describeInvitation(anonymous(), token)).toEqual({ email, name: 'Dana Described', organization: ADMIN.organizationName, passwordPolicy: 'odc' })
    expect(await describeInvitation(anonymous(), 'x'.repeat(43))).toBeNull()
    expect(await describeInvitation(anonymous(), 'short')).toBeNull()
  })

  it('makes the user Active and verified, and lets them sign in', async () => {
    const { email, userKey, token, code } = await invite()
    const result = await acceptInvitation(anonymous(), { token, code: ` ${code} `, name: 'Ada Accepted', password: PASSWORD })
    expect(result).toEqual({ userKey, email })
    expect(await userRow(userKey)).toMatchObject({ status: 'Active', isEmailVerified: true, name: 'Ada Accepted' })
    expect((await invitationOf(userKey)).acceptedAt).toBeInstanceOf(Date)
    const [event] = await auditRows('member.invitation_accepted', userKey)
    expect(event).toMatchObject({ actorKey: userKey, actorLabel: email, changes: { before: { status: 'Invited' }, after: { status: 'Active', name: 'Ada Accepted' } } })
    expect(JSON.stringify(event)).not.toContain(PASSWORD)
    expect(JSON.stringify(event)).not.toContain(code)

    const { sessionToken } = await signInWithPassword(anonymous(), { email, password: PASSWORD })
    expect(await resolvePortalSession(database.current().db, sessionToken, new Date())).toMatchObject({ userKey })
    // The link is spent.
    expect(await describeInvitation(anonymous(), token)).toBeNull()
    await expect(acceptInvitation(anonymous(), { token, code, password: PASSWORD })).rejects.toBeInstanceOf(NotFoundError)
  })

  it('keeps the name chosen by the administrator when none is given', async () => {
    const { userKey, token, code } = await invite('Named By Admin')
    await acceptInvitation(anonymous(), { token, code, password: PASSWORD })
    expect((await userRow(userKey)).name).toBe('Named By Admin')
  })

  it('counts wrong codes and lets the fifth kill the invitation', async () => {
    const { userKey, token, code, wrongCode } = await invite()
    for (let attempt = 1; attempt <= 4; attempt++) {
      const error = await acceptInvitation(anonymous(), { token, code: wrongCode, password: PASSWORD }).catch((e) => e)
      expect(error).toBeInstanceOf(ValidationError)
      expect(error.fieldErrors.code).toEqual([`That code is not right. ${5 - attempt} attempt(s) left.`])
      expect((await invitationOf(userKey)).failedAttempts).toBe(attempt)
    }
    const fifth = await acceptInvitation(anonymous(), { token, code: wrongCode, password: PASSWORD }).catch((e) => e)
    expect(fifth).toBeInstanceOf(ValidationError)
    expect(fifth.fieldErrors.code[0]).toMatch(/no longer valid/)
    const dead = await invitationOf(userKey)
    expect(dead.failedAttempts).toBe(5)
    expect(dead.revokedAt).toBeInstanceOf(Date)
    // Even the right code no longer works.
    await expect(acceptInvitation(anonymous(), { token, code, password: PASSWORD })).rejects.toBeInstanceOf(NotFoundError)
    expect(await describeInvitation(anonymous(), token)).toBeNull()
    expect(await userRow(userKey)).toMatchObject({ status: 'Invited', isEmailVerified: false })
    const [credential] = await database.current().db.select().from(userCredentials).where(eq(userCredentials.userKey, userKey))
    expect(credential.passwordHash).toBeNull()
  })

  it('refuses an expired invitation', async () => {
    const { userKey, token, code } = await invite()
    const later: Ctx = { ...anonymous(), now: () => new Date(Date.now() + 8 * 86_400_000) }
    expect(await describeInvitation(later, token)).toBeNull()
    await expect(acceptInvitation(later, { token, code, password: PASSWORD })).rejects.toBeInstanceOf(NotFoundError)
    expect((await userRow(userKey)).status).toBe('Invited')
    expect(await auditRows('member.invitation_accepted', userKey)).toEqual([])
  })

  it('refuses a password that breaks the policy, with a field error, and leaves the user Invited', async () => {
    const { userKey, token, code } = await invite()
    for (const password of ['short1A', 'alllowercase123', 'Qwerty123456']) {
      const error = await acceptInvitation(anonymous(), { token, code, password }).catch((e) => e)
      expect(error).toBeInstanceOf(ValidationError)
      expect(error.fieldErrors.password).toHaveLength(1)
    }
    expect((await userRow(userKey)).status).toBe('Invited')
    // A weak password is not a wrong code: the invitation still works.
    expect((await invitationOf(userKey)).failedAttempts).toBe(0)
    expect(await auditRows('member.invitation_accepted', userKey)).toEqual([])
    await acceptInvitation(anonymous(), { token, code, password: PASSWORD })
    expect((await userRow(userKey)).status).toBe('Active')
  })

  it('refuses malformed input before looking anything up', async () => {
    const { token, code } = await invite()
    await expect(acceptInvitation(anonymous(), { token, code: '12345', password: PASSWORD })).rejects.toMatchObject({ fieldErrors: { code: [expect.any(String)] } })
    await expect(acceptInvitation(anonymous(), { token: 'short', code, password: PASSWORD })).rejects.toMatchObject({ fieldErrors: { token: expect.any(Array) } })
    await expect(acceptInvitation(anonymous(), { token, code, password: PASSWORD, status: 'Active' })).rejects.toMatchObject({ fieldErrors: { form: expect.any(Array) } })
    await expect(acceptInvitation(anonymous(), { token, code })).rejects.toMatchObject({ fieldErrors: { password: expect.any(Array) } })
  })
})
