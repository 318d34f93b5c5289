import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { groupMembers } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '@/lib/errors'
import { createApp, createAppRole, createGroup } from '@/test/access-factories'
import { createMember, createRole, insertUsers, type Member } from '@/test/factories'
import { anonymous, setupOrganization, useTestDatabase } from '@/test/harness'
import { listUserGroups } from './list-user-groups'

describe("a user's groups (for the user page)", () => {
  useTestDatabase()
  let admin: Ctx
  let developer: Member
  let auditor: Member
  let userKey: string
  let devGroup: string
  let prdGroup: string

  beforeAll(async () => {
    ;({ admin } = await setupOrganization())
    developer = await createMember(admin)
    await createRole('Auditor', [{ slug: 'org.view_audit' }])
    auditor = await createMember(admin, { role: 'Auditor' })
    const orders = await createApp('Orders')
    const approver = await createAppRole(orders.key, 'Approver')
    const viewer = await createAppRole(orders.key, 'Viewer')
    const billing = await createAppRole((await createApp('Billing')).key, 'Clerk')
    ;[userKey] = await insertUsers([{ name: 'Grouped' }])
    devGroup = await createGroup('Dev team', 'DEV', { instanceKeys: [viewer.instances.get('DEV')!], userKeys: [userKey] })
    prdGroup = await createGroup('Prod approvers', 'PRD', { instanceKeys: [approver.instances.get('PRD')!, billing.instances.get('PRD')!] })
    const db = await getDb()
    await db.insert(groupMembers).values([
      { groupKey: prdGroup, userKey, type: 'Mapped' },
      { groupKey: prdGroup, userKey, type: 'Assigned' },
    ])
    await createGroup('Not theirs', 'DEV')
  })

  it('lists the groups with stage, membership type and the roles each grants', async () => {
    expect(await listUserGroups(admin, { userKey })).toEqual([
      { key: devGroup, name: 'Dev team', stageKey: expect.any(String), stageCode: 'DEV', type: 'Assigned', types: ['Assigned'], roles: [{ instanceKey: expect.any(String), appName: 'Orders', roleName: 'Viewer' }] },
      {
        key: prdGroup,
        name: 'Prod approvers',
        stageKey: expect.any(String),
        stageCode: 'PRD',
        type: 'Assigned',
        types: expect.arrayContaining(['Assigned', 'Mapped']),
        roles: [expect.objectContaining({ appName: 'Billing', roleName: 'Clerk' }), expect.objectContaining({ appName: 'Orders', roleName: 'Approver' })],
      },
    ])
  })

  it('shows a Developer only the groups in DEV', async () => {
    expect((await listUserGroups(developer.ctx(), { userKey })).map((g) => g.name)).toEqual(['Dev team'])
  })

  it('refuses members who cannot see end-users, signed-out callers, unknown users and bad keys', async () => {
    await expect(listUserGroups(auditor.ctx(), { userKey })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(listUserGroups(anonymous(), { userKey })).rejects.toBeInstanceOf(UnauthenticatedError)
    await expect(listUserGroups(admin, { userKey: '00000000-0000-4000-8000-000000000000' })).rejects.toBeInstanceOf(NotFoundError)
    await expect(listUserGroups(admin, { userKey: 'nope' })).rejects.toBeInstanceOf(ValidationError)
  })
})
