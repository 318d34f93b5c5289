import { beforeAll, describe, expect, it } from 'vitest'
import type { Ctx } from '@/lib/context'
import { UnauthenticatedError } from '@/lib/errors'
import { acceptInvitation } from '@/lib/users/accept-invitation'
import { inviteMember } from '@/lib/users/invite-member'
import { setOrganizationRole } from '@/lib/users/set-organization-role'
import { deactivateUser } from '@/lib/users/set-user-status'
import { createMember, createRole, insertUsers, invitationMailFor, PASSWORD, roleKeyOf, type Member } from '@/test/factories'
import { ADMIN, anonymous, asUser, setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { getDashboard } from './get-dashboard'

describe('the dashboard (UI-2, CLS-2)', () => {
  let admin: () => Ctx
  let developer: Member
  useTestDatabase()

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
    developer = await createMember(admin())
    await insertUsers([
      { name: 'End One', isEndUser: true },
      { name: 'End Two', isEndUser: true },
      { name: 'Both', isEndUser: true, isMember: true },
    ])
  })

  it('counts members, end-users and pending invitations, and shows the latest events to an administrator', async () => {
    const dashboard = await getDashboard(admin())
    expect(dashboard.counts).toEqual({ users: 5, members: 3, internalEndUsers: 3, externalEndUsers: 0, pendingInvitations: 0 })
    expect(dashboard.groups).toBe(0)
    expect(dashboard.apps).toBe(0)
    expect(dashboard.recent!.map((e) => e.action)).toEqual(['member.invitation_accepted', 'member.invited', 'organization.setup'])
  })

  it('is correct immediately after each change', async () => {
    const email = uniqueEmail('counted')
    await inviteMember(admin(), { email, roleKey: await roleKeyOf('Developer') })
    expect((await getDashboard(admin())).counts).toEqual({ users: 6, members: 4, internalEndUsers: 3, externalEndUsers: 0, pendingInvitations: 1 })
    const { token, code } = await invitationMailFor(email)
    const { userKey } = await acceptInvitation(anonymous(), { token, code, password: PASSWORD })
    expect((await getDashboard(admin())).counts).toEqual({ users: 6, members: 4, internalEndUsers: 3, externalEndUsers: 0, pendingInvitations: 0 })
    await setOrganizationRole(admin(), { userKey, roleKey: '' })
    expect((await getDashboard(admin())).counts).toEqual({ users: 6, members: 3, internalEndUsers: 3, externalEndUsers: 0, pendingInvitations: 0 })
  })

  it('keeps the recent list to the ten newest events', async () => {
    for (let i = 0; i < 6; i++) await inviteMember(admin(), { email: uniqueEmail('many'), roleKey: await roleKeyOf('Developer') })
    const { recent, counts } = await getDashboard(admin())
    expect(recent).toHaveLength(10)
    expect(recent![0].action).toBe('member.invited')
    expect(counts!.pendingInvitations).toBe(6)
  })

  it('shows each part only to those allowed to see it', async () => {
    const forDeveloper = await getDashboard(developer.ctx())
    expect(forDeveloper.counts).not.toBeNull()
    expect(forDeveloper.recent).toBeNull()
    await createRole('Auditor', [{ slug: 'org.view_audit' }])
    const auditor = await createMember(admin(), { role: 'Auditor' })
    const forAuditor = await getDashboard(auditor.ctx())
    expect(forAuditor.counts).toBeNull()
    expect(forAuditor.groups).toBeNull()
    expect(forAuditor.apps).toBeNull()
    expect(forAuditor.recent).toHaveLength(10)
  })

  it('refuses the signed-out and the deactivated', async () => {
    await expect(getDashboard(anonymous())).rejects.toBeInstanceOf(UnauthenticatedError)
    const gone = await createMember(admin())
    await deactivateUser(admin(), { userKey: gone.userKey })
    await expect(getDashboard(gone.ctx())).rejects.toBeInstanceOf(UnauthenticatedError)
  })
})
