import { beforeAll, describe, expect, it } from 'vitest'
import { getUserAccess } from '@/lib/access/explain-access'
import type { Ctx } from '@/lib/context'
import { ForbiddenError, ValidationError } from '@/lib/errors'
import { createApp, createAppRole, createGroup } from '@/test/access-factories'
import { auditRows, createMember, invitationMailFor, userRow } from '@/test/factories'
import { ADMIN, anonymous, asUser, setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { acceptInvitation } from './accept-invitation'
import { inviteUser } from './invite-user'

describe('inviting end-users with groups and application roles up front (AUTH-5)', () => {
  let admin: () => Ctx
  let shop: { key: string; stages: Map<string, string> }
  let buyer: { key: string; instances: Map<string, string> }
  let prdGroup: string
  useTestDatabase()

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
    shop = await createApp('Shop')
    buyer = await createAppRole(shop.key, 'Buyer')
    const seller = await createAppRole(shop.key, 'Seller')
    prdGroup = await createGroup('PRD sellers', 'PRD', { instanceKeys: [seller.instances.get('PRD')!] })
  })

  it('creates an Invited end-user holding the chosen roles and groups, active once they accept', async () => {
    const email = uniqueEmail('buyer')
    const { userKey } = await inviteUser(admin(), { email, name: 'Bea Buyer', groupKeys: [prdGroup], instanceKeys: [buyer.instances.get('QA')!] })
    expect(await userRow(userKey)).toMatchObject({ status: 'Invited', isMember: false, isEndUser: true })
    const [event] = await auditRows('user.invited', userKey)
    expect(event.changes?.after).toMatchObject({ organizationRole: null, groups: ['PRD sellers (PRD)'], endUserRoles: ['Shop · Buyer (QA)'] })
    const { token, code } = await invitationMailFor(email)
    await acceptInvitation(anonymous(), { token, code, password: 'Sturdy-Lantern-2024' })
    const access = await getUserAccess(admin(), { userKey })
    expect(access.endUserRoles.map((r) => `${r.roleName}/${r.stageCode}/${r.sources.join()}`)).toEqual(['Seller/PRD/through group “PRD sellers”', 'Buyer/QA/assigned directly'])
    expect(access.categories).toEqual([])
  })

  it('lets a Developer invite end-users into DEV only', async () => {
    const dev = await createMember(admin())
    await expect(inviteUser(dev.ctx(), { email: uniqueEmail('devtester'), instanceKeys: [buyer.instances.get('DEV')!] })).resolves.toMatchObject({ email: expect.any(String) })
    const refused = uniqueEmail('refused')
    await expect(inviteUser(dev.ctx(), { email: refused, instanceKeys: [buyer.instances.get('PRD')!] })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(inviteUser(dev.ctx(), { email: refused, groupKeys: [prdGroup] })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(invitationMailFor(refused)).rejects.toThrow(/no mail/)
  })

  it('refuses an invitation that grants nothing, and unknown groups or roles', async () => {
    await expect(inviteUser(admin(), { email: uniqueEmail() })).rejects.toMatchObject({ fieldErrors: { roleKey: ['Choose an organization role, or at least one group or end-user role.'] } })
    await expect(inviteUser(admin(), { email: uniqueEmail(), groupKeys: [shop.key] })).rejects.toBeInstanceOf(ValidationError)
    await expect(inviteUser(admin(), { email: uniqueEmail(), instanceKeys: [shop.key] })).rejects.toBeInstanceOf(ValidationError)
  })
})
