import { randomUUID } from 'node:crypto'
import { count, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditEvents, invitations, mailOutbox, roleAssignments, userCredentials, users } from '@/db/schema'
import { hashCode, sha256 } from '@/lib/auth/tokens'
import type { Ctx } from '@/lib/context'
import { ConflictError, ForbiddenError, ValidationError } from '@/lib/errors'
import { auditRows, createMember, createRole, invitationMailFor, roleKeyOf, userRow } from '@/test/factories'
import { ADMIN, asUser, setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { inviteMember } from './invite-member'

describe('inviting a member (AUTH-5)', () => {
  const database = useTestDatabase()
  let admin: () => Ctx
  let adminKey: string
  let developerRole: string

  const tableCounts = async () => {
    const db = database.current().db
    const n = async (t: typeof users | typeof invitations | typeof roleAssignments | typeof auditEvents | typeof mailOutbox | typeof userCredentials) =>
      (await db.select({ n: count() }).from(t))[0].n
    return { users: await n(users), invitations: await n(invitations), grants: await n(roleAssignments), audit: await n(auditEvents), mail: await n(mailOutbox), credentials: await n(userCredentials) }
  }

  beforeAll(async () => {
    const org = await setupOrganization()
    adminKey = org.userKey
    admin = () => asUser(org.userKey, ADMIN.email)
    developerRole = await roleKeyOf('Developer')
  })

  it('creates an Invited member with the role and mails a code and a link whose secrets are stored only as hashes', async () => {
    const db = database.current().db
    const email = uniqueEmail('invitee')
    const result = await inviteMember(admin(), { email: `  ${email.toUpperCase()} `, name: ' Ivy Invitee ', roleKey: developerRole })
    expect(result.email).toBe(email)

    const user = await userRow(result.userKey)
    expect(user).toMatchObject({ email, name: 'Ivy Invitee', status: 'Invited', isMember: true, isEmailVerified: false })
    const grants = await db.select().from(roleAssignments).where(eq(roleAssignments.userKey, result.userKey))
    expect(grants).toEqual([expect.objectContaining({ roleKey: developerRole, appKey: null })])
    const [credential] = await db.select().from(userCredentials).where(eq(userCredentials.userKey, result.userKey))
    expect(credential.passwordHash).toBeNull()

    const mail = await invitationMailFor(email)
    expect(mail.code).toMatch(/^\d{6}$/)
    expect(mail.text).toContain(`/invite/${mail.token}`)
    expect(mail.html).toContain(mail.code)
    expect(result.link).toMatch(new RegExp(`/invite/${mail.token}$`))

    const [invitation] = await db.select().from(invitations).where(eq(invitations.userKey, result.userKey))
    expect(invitation.tokenHash).toBe(sha256(mail.token))
    expect(invitation.codeHash).toBe(hashCode('invitation', mail.code))
    expect(invitation.expiresAt.getTime() - invitation.createdAt.getTime()).toBe(7 * 86_400_000)
    expect(invitation.createdBy).toBe(adminKey)
    expect(JSON.stringify(invitation)).not.toContain(mail.token)
    const { codeHash: _c, tokenHash: _t, ...rest } = invitation
    expect(JSON.stringify(rest)).not.toContain(mail.code)

    const [event] = await auditRows('member.invited', result.userKey)
    expect(event).toMatchObject({ actorLabel: ADMIN.email, targetType: 'user', targetLabel: email })
    expect(event.changes).toMatchObject({ after: { email, name: 'Ivy Invitee', status: 'Invited', organizationRole: 'Developer' } })
    const logged = JSON.stringify(event)
    expect(logged).not.toContain(mail.token)
    expect(logged).not.toContain(mail.code)
  })

  it('refuses an email that already has an active account, with a field error', async () => {
    const before = await tableCounts()
    const error = await inviteMember(admin(), { email: ADMIN.email.toUpperCase(), roleKey: developerRole }).catch((e) => e)
    expect(error).toBeInstanceOf(ConflictError)
    expect(error.fieldErrors.email).toEqual([expect.stringMatching(/already has an account/i)])
    expect(await tableCounts()).toEqual(before)
  })

  it('refuses an email already invited and points to Resend invitation', async () => {
    const email = uniqueEmail('twice')
    await inviteMember(admin(), { email, roleKey: developerRole })
    const before = await tableCounts()
    const error = await inviteMember(admin(), { email, roleKey: developerRole }).catch((e) => e)
    expect(error).toBeInstanceOf(ConflictError)
    expect(error.fieldErrors.email.join(' ')).toMatch(/Resend invitation/)
    expect(await tableCounts()).toEqual(before)
  })

  it('refuses bad input field by field and writes nothing', async () => {
    const before = await tableCounts()
    const email = uniqueEmail('bad')
    const cases: Array<[unknown, string]> = [
      [{}, 'email'],
      [{ email }, 'roleKey'],
      [{ email: 42, roleKey: developerRole }, 'email'],
      [{ email, roleKey: 7 }, 'roleKey'],
      [{ email, name: ['Ivy'], roleKey: developerRole }, 'name'],
      [{ email: 'not-an-email', roleKey: developerRole }, 'email'],
      [{ email: `${'a'.repeat(250)}@example.test`, roleKey: developerRole }, 'email'],
      [{ email, name: 'N'.repeat(121), roleKey: developerRole }, 'name'],
      [{ email, roleKey: '' }, 'roleKey'],
      [{ email, roleKey: 'not-a-uuid' }, 'roleKey'],
      [{ email, roleKey: developerRole, isAdmin: true }, 'form'],
      [{ email, roleKey: randomUUID() }, 'roleKey'],
    ]
    for (const [input, field] of cases) {
      const error = await inviteMember(admin(), input).catch((e) => e)
      expect(error, JSON.stringify(input)).toBeInstanceOf(ValidationError)
      expect(error.fieldErrors[field], JSON.stringify(input)).toEqual(expect.arrayContaining([expect.any(String)]))
    }
    await expect(inviteMember(admin(), null)).rejects.toBeInstanceOf(ValidationError)
    await expect(inviteMember(admin(), 'email=x')).rejects.toBeInstanceOf(ValidationError)
    expect(await tableCounts()).toEqual(before)
  })

  it('refuses a member who may not manage member access', async () => {
    const developer = await createMember(admin(), { role: 'Developer' })
    const before = await tableCounts()
    const error = await inviteMember(developer.ctx(), { email: uniqueEmail('sneaky'), roleKey: developerRole }).catch((e) => e)
    expect(error).toBeInstanceOf(ForbiddenError)
    expect(error.message).toContain('users.manage_member_access')
    expect(error.reason).toContain('no role held grants')
    expect(await tableCounts()).toEqual(before)
  })

  it('lets a member with a custom role holding the permission invite', async () => {
    await createRole('Inviter', [{ slug: 'users.manage_member_access' }])
    const inviter = await createMember(admin(), { role: 'Inviter' })
    const email = uniqueEmail('by-inviter')
    const { userKey } = await inviteMember(inviter.ctx(), { email, roleKey: developerRole })
    const [event] = await auditRows('member.invited', userKey)
    expect(event.actorKey).toBe(inviter.userKey)
  })
})
