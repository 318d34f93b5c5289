import { and, eq, isNull } from 'drizzle-orm'
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { invitations, mailOutbox } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors'
import { auditRows, createMember, invitationMailFor, PASSWORD, roleKeyOf } from '@/test/factories'
import { ADMIN, anonymous, asUser, setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { acceptInvitation, describeInvitation } from './accept-invitation'
import { inviteMember } from './invite-member'
import { resendInvitation } from './resend-invitation'

describe('resending an invitation (AUTH-5)', () => {
  const database = useTestDatabase()
  let admin: () => Ctx

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
  })

  it('issues a new code and link and kills the old ones', async () => {
    const db = database.current().db
    const email = uniqueEmail('resend')
    const { userKey } = await inviteMember(admin(), { email, roleKey: await roleKeyOf('Developer') })
    const first = await invitationMailFor(email)

    const result = await resendInvitation(admin(), { userKey })
    const second = await invitationMailFor(email)
    expect(second.token).not.toBe(first.token)
    expect(result.link).toMatch(new RegExp(`/invite/${second.token}$`))
    expect(await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email))).toHaveLength(2)

    expect(await describeInvitation(anonymous(), first.token)).toBeNull()
    expect(await describeInvitation(anonymous(), second.token)).toMatchObject({ email })
    const open = await db.select().from(invitations).where(and(eq(invitations.userKey, userKey), isNull(invitations.revokedAt)))
    expect(open).toHaveLength(1)

    const [event] = await auditRows('member.invitation_resent', userKey)
    expect(event).toMatchObject({ actorLabel: ADMIN.email, targetLabel: email, changes: { expiresAt: result.expiresAt.toISOString() } })
    expect(JSON.stringify(event)).not.toContain(second.token)
    expect(JSON.stringify(event)).not.toContain(second.code)

    await expect(acceptInvitation(anonymous(), { token: first.token, code: first.code, password: PASSWORD })).rejects.toBeInstanceOf(NotFoundError)
    await acceptInvitation(anonymous(), { token: second.token, code: second.code, password: PASSWORD })
  })

  it('refuses users who are not Invited', async () => {
    const member = await createMember(admin())
    const before = await auditRows('member.invitation_resent')
    await expect(resendInvitation(admin(), { userKey: member.userKey })).rejects.toBeInstanceOf(ConflictError)
    await expect(resendInvitation(admin(), { userKey: randomUUID() })).rejects.toBeInstanceOf(NotFoundError)
    await expect(resendInvitation(admin(), { userKey: 'nope' })).rejects.toBeInstanceOf(ValidationError)
    expect(await auditRows('member.invitation_resent')).toEqual(before)
  })

  it('refuses a member without users.manage_member_access, and the old invitation keeps working', async () => {
    const developer = await createMember(admin())
    const email = uniqueEmail('keep')
    const { userKey } = await inviteMember(admin(), { email, roleKey: await roleKeyOf('Developer') })
    const mail = await invitationMailFor(email)
    await expect(resendInvitation(developer.ctx(), { userKey })).rejects.toBeInstanceOf(ForbiddenError)
    expect((await invitationMailFor(email)).token).toBe(mail.token)
    expect(await describeInvitation(anonymous(), mail.token)).toMatchObject({ email })
    expect(await auditRows('member.invitation_resent', userKey)).toEqual([])
  })
})
