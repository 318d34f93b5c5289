import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { endUserRoleAssignments } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors'
import { accessSnapshot, createApp, createAppRole, createGroup } from '@/test/access-factories'
import { auditRows, createMember, createRole, insertUsers, userRow } from '@/test/factories'
import { ADMIN, asUser, setupOrganization, useTestDatabase } from '@/test/harness'
import { grantEndUserRole, revokeEndUserRole } from './end-user-role-grant'

const UNKNOWN = '00000000-0000-4000-8000-000000000000'

describe('granting and revoking one end-user role (EUR-1)', () => {
  useTestDatabase()
  let admin: () => Ctx
  let approver: { key: string; instances: Map<string, string> }
  let viewer: { key: string; instances: Map<string, string> }

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
    const orders = await createApp('Orders')
    approver = await createAppRole(orders.key, 'Approver')
    viewer = await createAppRole(orders.key, 'Viewer')
  })

  const directRoles = async (userKey: string) =>
    (await (await getDb()).select({ key: endUserRoleAssignments.instanceKey }).from(endUserRoleAssignments).where(eq(endUserRoleAssignments.userKey, userKey))).map((r) => r.key).sort()

  it('grants a role beside the ones the user holds in the same app, once, with an audit event', async () => {
    const [user] = await insertUsers([{ name: 'Gus Grant' }])
    const qa = approver.instances.get('QA')!
    const prd = viewer.instances.get('PRD')!
    expect(await grantEndUserRole(admin(), { userKey: user, instanceKey: prd })).toEqual({ changed: true })
    expect(await grantEndUserRole(admin(), { userKey: user, instanceKey: qa })).toEqual({ changed: true })
    expect(await directRoles(user)).toEqual([qa, prd].sort())
    expect((await userRow(user)).isEndUser).toBe(true)
    const events = await auditRows('enduser.roles_changed', user)
    expect(events.map((e) => e.changes)).toEqual([expect.objectContaining({ added: ['Orders · Viewer (PRD)'], removed: [] }), expect.objectContaining({ added: ['Orders · Approver (QA)'], removed: [] })])
    // Again: nothing changes and nothing is recorded.
    expect(await grantEndUserRole(admin(), { userKey: user, instanceKey: qa })).toEqual({ changed: false })
    expect(await auditRows('enduser.roles_changed', user)).toHaveLength(2)
  })

  it('revokes only the direct grant: the other roles and the same role through a group stay', async () => {
    const [user] = await insertUsers([{ name: 'Rita Revoke' }])
    const dev = approver.instances.get('DEV')!
    const devViewer = viewer.instances.get('DEV')!
    await grantEndUserRole(admin(), { userKey: user, instanceKey: dev })
    await grantEndUserRole(admin(), { userKey: user, instanceKey: devViewer })
    await createGroup('Dev approvers', 'DEV', { instanceKeys: [dev], userKeys: [user] })
    expect(await revokeEndUserRole(admin(), { userKey: user, instanceKey: dev })).toEqual({ changed: true })
    expect(await directRoles(user)).toEqual([devViewer])
    const [, , event] = await auditRows('enduser.roles_changed', user)
    expect(event.changes).toMatchObject({ added: [], removed: ['Orders · Approver (DEV)'] })
    expect(await revokeEndUserRole(admin(), { userKey: user, instanceKey: dev })).toEqual({ changed: false })
    expect(await auditRows('enduser.roles_changed', user)).toHaveLength(3)
    await revokeEndUserRole(admin(), { userKey: user, instanceKey: devViewer })
    // Still an end-user: the group grants a role.
    expect((await userRow(user)).isEndUser).toBe(true)
  })

  it('refuses without the permission in the role’s stage, for unknown keys and bad input, changing nothing', async () => {
    await createRole('Dev access', [{ slug: 'endusers.manage_access', stages: ['DEV'] }])
    const devManager = await createMember(admin(), { role: 'Dev access' })
    const developer = await createMember(admin(), { role: 'Developer' })
    await createRole('Nothing about end-users', [{ slug: 'users.view_members' }])
    const outsider = await createMember(admin(), { role: 'Nothing about end-users' })
    const [user] = await insertUsers([{ name: 'Ned Nochange' }])
    const prd = approver.instances.get('PRD')!
    const before = await accessSnapshot()
    await expect(grantEndUserRole(devManager.ctx(), { userKey: user, instanceKey: prd })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(grantEndUserRole(outsider.ctx(), { userKey: user, instanceKey: prd })).rejects.toBeInstanceOf(ForbiddenError)
    // The outsider learns nothing about which keys exist.
    await expect(grantEndUserRole(outsider.ctx(), { userKey: user, instanceKey: UNKNOWN })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(grantEndUserRole(admin(), { userKey: user, instanceKey: UNKNOWN })).rejects.toBeInstanceOf(NotFoundError)
    await expect(grantEndUserRole(admin(), { userKey: UNKNOWN, instanceKey: prd })).rejects.toBeInstanceOf(NotFoundError)
    await expect(revokeEndUserRole(admin(), { userKey: UNKNOWN, instanceKey: prd })).rejects.toBeInstanceOf(NotFoundError)
    await expect(grantEndUserRole(admin(), { userKey: 'nope', instanceKey: prd })).rejects.toBeInstanceOf(ValidationError)
    expect(await accessSnapshot()).toEqual(before)
    // The built-in Developer manages end-user access in Development only.
    expect(await grantEndUserRole(developer.ctx(), { userKey: user, instanceKey: approver.instances.get('DEV')! })).toEqual({ changed: true })
    await expect(revokeEndUserRole(devManager.ctx(), { userKey: user, instanceKey: prd })).rejects.toBeInstanceOf(ForbiddenError)
    const db = await getDb()
    expect(await db.select().from(endUserRoleAssignments).where(and(eq(endUserRoleAssignments.userKey, user), eq(endUserRoleAssignments.instanceKey, prd)))).toEqual([])
  })
})
