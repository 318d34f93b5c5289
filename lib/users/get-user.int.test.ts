import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { InvalidCredentialsError, signInWithPassword } from '@/lib/auth/sign-in'
import type { Ctx } from '@/lib/context'
import { ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors'
import { createMember, createRole, insertUsers, roleKeyOf, signIn, type Member } from '@/test/factories'
import { createApp, createAppRole, createGroup, grantAppRole } from '@/test/access-factories'
import { ADMIN, asUser, setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { getUser } from './get-user'
import { inviteMember } from './invite-member'
import { listUsers } from './list-users'

describe('one user’s page (UI-4)', () => {
  let adminKey: string
  let admin: () => Ctx
  let developer: Member
  useTestDatabase()

  beforeAll(async () => {
    const org = await setupOrganization()
    adminKey = org.userKey
    admin = () => asUser(org.userKey, ADMIN.email)
    developer = await createMember(admin(), { role: 'Developer', name: 'Devon Developer' })
  })

  it('shows an administrator the profile, role, sessions and lockout state, and what they may do', async () => {
    const member = await createMember(admin(), { name: 'Morgan Member' })
    await signIn(member.email, member.password)
    await signIn(member.email, member.password)
    const now = new Date()
    await expect(signInWithPassword({ actor: null, now: () => now }, { email: member.email, password: 'Wrong-Password-1' })).rejects.toBeInstanceOf(InvalidCredentialsError)

    const detail = await getUser(admin(), { userKey: member.userKey })
    expect(detail).toMatchObject({
      key: member.userKey,
      name: 'Morgan Member',
      email: member.email,
      status: 'Active',
      isEmailVerified: true,
      isMember: true,
      isEndUser: false,
      liveSessions: 2,
      failedAttempts: 1,
      lockedUntil: null,
      invitation: null,
      organizationRole: { name: 'Developer', state: 'active', startsAt: null, endsAt: null },
      appRoles: [],
      can: { manage: true, manageAccess: true, viewEndUserAccess: true, isSelf: false },
    })
    expect(detail.lastLoginAt).toBeInstanceOf(Date)
    expect(JSON.stringify(detail)).not.toMatch(/argon2|passwordHash/)
    expect((await getUser(admin(), { userKey: adminKey })).can.isSelf).toBe(true)
  })

  it('shows an open invitation and whether it has expired', async () => {
    const email = uniqueEmail('pending')
    const { userKey, expiresAt } = await inviteMember(admin(), { email, roleKey: await roleKeyOf('Developer') })
    expect((await getUser(admin(), { userKey })).invitation).toEqual({ expiresAt, expired: false })
    const later = { ...admin(), now: () => new Date(expiresAt.getTime() + 1) }
    expect((await getUser(later, { userKey })).invitation).toEqual({ expiresAt, expired: true })
  })

  it('lets a Developer open members but not manage them', async () => {
    const member = await createMember(admin())
    const detail = await getUser(developer.ctx(), { userKey: member.userKey })
    expect(detail.can).toEqual({ manage: false, manageAccess: false, viewEndUserAccess: true, isSelf: false })
  })

  it('lets a Developer open the end-users the users list shows them — those with roles in DEV — and nobody else (SPEC §12)', async () => {
    const [endUser, prdUser, nobody] = await insertUsers([
      { name: 'Erin End-user', email: uniqueEmail('enduser') },
      { name: 'Pete Production', email: uniqueEmail('prd') },
      { name: 'Nora Nobody', email: uniqueEmail('nobody') },
    ])
    const app = await createApp('Field app')
    const role = await createAppRole(app.key, 'Technician')
    await grantAppRole(endUser, [role.instances.get('DEV')!])
    await createGroup('PRD technicians', 'PRD', { instanceKeys: [role.instances.get('PRD')!], userKeys: [prdUser] })
    const listed = async (q: string) => (await listUsers(developer.ctx(), { q })).rows.map((r) => r.key)
    expect(await listed('Erin End-user')).toEqual([endUser])
    expect((await getUser(developer.ctx(), { userKey: endUser })).name).toBe('Erin End-user')
    expect(await listed('Pete Production')).toEqual([])
    await expect(getUser(developer.ctx(), { userKey: prdUser })).rejects.toBeInstanceOf(ForbiddenError)
    expect(await listed('Nora Nobody')).toEqual([])
    await expect(getUser(developer.ctx(), { userKey: nobody })).rejects.toBeInstanceOf(ForbiddenError)
    expect((await getUser(admin(), { userKey: nobody })).name).toBe('Nora Nobody')
    expect((await listUsers(admin(), { q: 'Pete Production' })).rows.map((r) => r.key)).toEqual([prdUser])
  })

  it('refuses a member who may see no users, an unknown user and a malformed key', async () => {
    await createRole('Auditor', [{ slug: 'org.view_audit' }])
    const auditor = await createMember(admin(), { role: 'Auditor' })
    await expect(getUser(auditor.ctx(), { userKey: developer.userKey })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(getUser(admin(), { userKey: randomUUID() })).rejects.toBeInstanceOf(NotFoundError)
    await expect(getUser(admin(), { userKey: 'robert' })).rejects.toBeInstanceOf(ValidationError)
  })
})
