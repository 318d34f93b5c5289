import { beforeAll, describe, expect, it } from 'vitest'
import type { Ctx } from '@/lib/context'
import { ForbiddenError, UnauthenticatedError, ValidationError } from '@/lib/errors'
import { createApp, createAppRole, createGroup } from '@/test/access-factories'
import { auditRows, createMember, createRole, insertUsers, userRow } from '@/test/factories'
import { ADMIN, anonymous, asUser, setupOrganization, useTestDatabase } from '@/test/harness'
import { getEndUserAccess, setEndUserRoles } from './end-user-access'
import { getUserAccess } from './explain-access'

describe('end-user access per app and stage (EUR-1)', () => {
  let admin: () => Ctx
  let orders: { key: string; stages: Map<string, string> }
  let approver: { key: string; instances: Map<string, string> }
  let viewer: { key: string; instances: Map<string, string> }
  let stageOf: (code: string) => string
  useTestDatabase()

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
    orders = await createApp('Orders')
    stageOf = (code) => orders.stages.get(code)!
    approver = await createAppRole(orders.key, 'Approver')
    viewer = await createAppRole(orders.key, 'Viewer')
    const hr = await createApp('HR portal', ['PRD'])
    await createAppRole(hr.key, 'Employee')
  })

  it('grants and revokes direct roles per stage, keeping the end-user flag exact', async () => {
    const [user] = await insertUsers([{ name: 'Erin End' }])
    const result = await setEndUserRoles(admin(), { userKey: user, appKeys: [orders.key], instanceKeys: [approver.instances.get('QA')!, viewer.instances.get('PRD')!] })
    expect(result).toEqual({ added: 2, removed: 0 })
    expect((await userRow(user)).isEndUser).toBe(true)
    const access = await getUserAccess(admin(), { userKey: user })
    expect(access.endUserRoles).toEqual([
      { appKey: orders.key, appName: 'Orders', stageCode: 'PRD', roleName: 'Viewer', sources: ['assigned directly'] },
      { appKey: orders.key, appName: 'Orders', stageCode: 'QA', roleName: 'Approver', sources: ['assigned directly'] },
    ])
    const [event] = await auditRows('enduser.roles_changed', user)
    expect(event.changes).toMatchObject({ added: ['Orders · Approver (QA)', 'Orders · Viewer (PRD)'], removed: [] })
    // Saving the same grid again changes nothing and writes nothing.
    expect(await setEndUserRoles(admin(), { userKey: user, appKeys: [orders.key], instanceKeys: [approver.instances.get('QA')!, viewer.instances.get('PRD')!] })).toEqual({ added: 0, removed: 0 })
    expect(await auditRows('enduser.roles_changed', user)).toHaveLength(1)
    await setEndUserRoles(admin(), { userKey: user, appKeys: [orders.key], instanceKeys: [] })
    expect((await userRow(user)).isEndUser).toBe(false)
  })

  it('shows the grid with direct roles, roles inherited from groups, and what the viewer may change', async () => {
    const [user] = await insertUsers([{ name: 'Gail Grid' }])
    await createGroup('PRD approvers', 'PRD', { instanceKeys: [approver.instances.get('PRD')!], userKeys: [user] })
    await setEndUserRoles(admin(), { userKey: user, appKeys: [orders.key], instanceKeys: [viewer.instances.get('DEV')!] })
    const grid = await getEndUserAccess(admin(), { userKey: user })
    expect(grid.stages.map((s) => s.code)).toEqual(['DEV', 'QA', 'PRD'])
    expect(grid.apps.map((a) => a.name)).toEqual(['HR portal', 'Orders'])
    const ordersRow = grid.apps.find((a) => a.name === 'Orders')!
    const approverRow = ordersRow.roles.find((r) => r.name === 'Approver')!
    expect(approverRow.cells[stageOf('PRD')]).toMatchObject({ direct: false, viaGroups: [{ name: 'PRD approvers' }], editable: true })
    expect(ordersRow.roles.find((r) => r.name === 'Viewer')!.cells[stageOf('DEV')]).toMatchObject({ direct: true, viaGroups: [] })
    expect(grid.apps.find((a) => a.name === 'HR portal')!.stageKeys).toEqual([stageOf('PRD')])
    expect((await getUserAccess(admin(), { userKey: user })).endUserRoles.find((r) => r.roleName === 'Approver')).toMatchObject({ stageCode: 'PRD', sources: ['through group “PRD approvers”'] })
    // Unticking a direct role leaves the group's grant alone.
    await setEndUserRoles(admin(), { userKey: user, appKeys: [orders.key], instanceKeys: [] })
    expect((await userRow(user)).isEndUser).toBe(true)
  })

  it('lets a Developer change end-user access in DEV only, and changes nothing when any part is refused', async () => {
    const dev = await createMember(admin())
    const [user] = await insertUsers([{ name: 'Dana Dev-tester' }])
    await setEndUserRoles(dev.ctx(), { userKey: user, appKeys: [orders.key], instanceKeys: [approver.instances.get('DEV')!] })
    await expect(setEndUserRoles(dev.ctx(), { userKey: user, appKeys: [orders.key], instanceKeys: [approver.instances.get('DEV')!, approver.instances.get('PRD')!] })).rejects.toBeInstanceOf(
      ForbiddenError,
    )
    const grid = await getEndUserAccess(dev.ctx(), { userKey: user })
    const cells = grid.apps.find((a) => a.name === 'Orders')!.roles.find((r) => r.name === 'Approver')!.cells
    expect([cells[stageOf('DEV')].editable, cells[stageOf('QA')].editable, cells[stageOf('PRD')].editable]).toEqual([true, false, false])
    expect((await getUserAccess(admin(), { userKey: user })).endUserRoles.map((r) => r.stageCode)).toEqual(['DEV'])
  })

  it('honours an app-scope grant of Manage end-user access for that app only', async () => {
    await createRole('Orders desk', [{ slug: 'endusers.manage_access' }])
    const desk = await createMember(admin(), { role: 'Orders desk' })
    const [user] = await insertUsers([{ name: 'Ana App' }])
    await setEndUserRoles(desk.ctx(), { userKey: user, appKeys: [orders.key], instanceKeys: [viewer.instances.get('PRD')!] })
    expect((await getUserAccess(admin(), { userKey: user })).endUserRoles).toHaveLength(1)
  })

  it('refuses roles of other apps, unknown users, bad input and the signed-out', async () => {
    const [user] = await insertUsers([{ name: 'Bo Bad' }])
    const hr = (await getEndUserAccess(admin(), { userKey: user })).apps.find((a) => a.name === 'HR portal')!
    const hrInstance = hr.roles[0].cells[stageOf('PRD')].instanceKey
    await expect(setEndUserRoles(admin(), { userKey: user, appKeys: [orders.key], instanceKeys: [hrInstance] })).rejects.toBeInstanceOf(ValidationError)
    await expect(setEndUserRoles(admin(), { userKey: user, appKeys: [], instanceKeys: [] })).rejects.toBeInstanceOf(ValidationError)
    await expect(setEndUserRoles(admin(), { userKey: 'nope', appKeys: [orders.key] })).rejects.toBeInstanceOf(ValidationError)
    await expect(setEndUserRoles(anonymous(), { userKey: user, appKeys: [orders.key], instanceKeys: [viewer.instances.get('PRD')!] })).rejects.toBeInstanceOf(UnauthenticatedError)
    await expect(getEndUserAccess(anonymous(), { userKey: user })).rejects.toBeInstanceOf(UnauthenticatedError)
    expect(await auditRows('enduser.roles_changed', user)).toEqual([])
  })
})
