import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { groupRoles, groups } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { ConflictError, ForbiddenError, UnauthenticatedError, ValidationError } from '@/lib/errors'
import { createApp, createAppRole, createGroup, grantAppRole, qaGroupManager } from '@/test/access-factories'
import { auditRows, createMember, insertUsers, userRow, type Member } from '@/test/factories'
import { anonymous, setupOrganization, useTestDatabase } from '@/test/harness'
import { getGroup } from './get-group'
import { previewGroupRoles, setGroupRoles } from './set-group-roles'

async function rolesOf(groupKey: string) {
  const db = await getDb()
  return (await db.select({ key: groupRoles.instanceKey }).from(groupRoles).where(eq(groupRoles.groupKey, groupKey))).map((r) => r.key).sort()
}
async function versionOf(groupKey: string) {
  const db = await getDb()
  return (await db.select({ v: groups.version }).from(groups).where(eq(groups.key, groupKey)))[0].v
}

describe("setting a group's roles (GRP-2, impact before harm)", () => {
  useTestDatabase()
  let admin: Ctx
  let developer: Member
  let qaManager: Member
  let approver: Map<string, string>
  let viewer: Map<string, string>
  let clerk: Map<string, string>

  beforeAll(async () => {
    ;({ admin } = await setupOrganization())
    developer = await createMember(admin)
    qaManager = await qaGroupManager(admin)
    const orders = await createApp('Orders')
    approver = (await createAppRole(orders.key, 'Approver')).instances
    viewer = (await createAppRole(orders.key, 'Viewer')).instances
    const billing = await createApp('Billing', ['QA', 'PRD'])
    clerk = (await createAppRole(billing.key, 'Clerk')).instances
  })

  it('shows only apps deployed in the group stage, with their roles there', async () => {
    const groupKey = await createGroup('Dev apps', 'DEV', { instanceKeys: [approver.get('DEV')!] })
    const detail = await getGroup(admin, { groupKey })
    expect(detail.apps.map((a) => a.appName)).toEqual(['Orders'])
    expect(detail.apps[0].roles).toEqual([
      expect.objectContaining({ roleName: 'Approver', instanceKey: approver.get('DEV'), granted: true }),
      expect.objectContaining({ roleName: 'Viewer', instanceKey: viewer.get('DEV'), granted: false }),
    ])
    expect(detail.can.manage).toBe(true)
    expect((await getGroup(developer.ctx(), { groupKey })).can.manage).toBe(false)
  })

  it('grants the roles to every member, making them end-users, and audits the change', async () => {
    const users = await insertUsers([{ name: 'Gina' }, { name: 'Hal' }])
    const groupKey = await createGroup('Approvers', 'PRD', { userKeys: users })
    expect((await userRow(users[0])).isEndUser).toBe(false)
    const { version } = await setGroupRoles(admin, { groupKey, instanceKeys: [approver.get('PRD')!, clerk.get('PRD')!], version: 1 })
    expect(version).toBe(2)
    expect(await rolesOf(groupKey)).toEqual([approver.get('PRD')!, clerk.get('PRD')!].sort())
    for (const u of users) expect((await userRow(u)).isEndUser).toBe(true)
    const [event] = await auditRows('group.roles_changed', groupKey)
    expect(event.changes).toMatchObject({ stage: 'PRD', added: ['Billing · Clerk', 'Orders · Approver'], removed: [], counts: { members: 2, usersLosingAccess: 0 } })
  })

  it('previews who loses a role, counting only users who hold it nowhere else, then applies it', async () => {
    const [direct, viaOther, only, both] = await insertUsers([{ name: 'Direct' }, { name: 'Via other group' }, { name: 'Only here' }, { name: 'Only here too' }])
    const groupKey = await createGroup('Impact', 'PRD', { instanceKeys: [approver.get('PRD')!, viewer.get('PRD')!], userKeys: [direct, viaOther, only, both] })
    await grantAppRole(direct, [approver.get('PRD')!])
    await createGroup('Other approvers', 'PRD', { instanceKeys: [approver.get('PRD')!], userKeys: [viaOther] })

    const impact = await previewGroupRoles(admin, { groupKey, instanceKeys: [] })
    expect(impact.removed).toEqual([
      expect.objectContaining({ appName: 'Orders', roleName: 'Approver', users: 2 }),
      expect.objectContaining({ appName: 'Orders', roleName: 'Viewer', users: 4 }),
    ])
    expect(impact.usersLosingAccess).toBe(4)
    expect(impact.firstUsers.map((u) => u.name)).toEqual(['Direct', 'Only here', 'Only here too', 'Via other group'])
    expect(await rolesOf(groupKey)).toHaveLength(2) // a preview changes nothing

    await setGroupRoles(admin, { groupKey, instanceKeys: [viewer.get('PRD')!], version: 1 })
    expect(await rolesOf(groupKey)).toEqual([viewer.get('PRD')!])
    const [event] = await auditRows('group.roles_changed', groupKey)
    expect(event.changes).toMatchObject({ added: [], removed: ['Orders · Approver'], counts: { members: 4, usersLosingAccess: 2 }, rolesLost: [{ role: 'Orders · Approver', users: 2 }] })

    // Taking the last role away: members without another source stop being end-users.
    await setGroupRoles(admin, { groupKey, instanceKeys: [], version: 2 })
    expect((await userRow(only)).isEndUser).toBe(false)
    expect((await userRow(both)).isEndUser).toBe(false)
    expect((await userRow(direct)).isEndUser).toBe(true)
    expect((await userRow(viaOther)).isEndUser).toBe(true)
  })

  it('refuses role instances of another stage, and unknown ones, changing nothing', async () => {
    const groupKey = await createGroup('Stage bound', 'QA', { instanceKeys: [approver.get('QA')!] })
    for (const instanceKeys of [[approver.get('PRD')!], [approver.get('QA')!, viewer.get('DEV')!], ['00000000-0000-4000-8000-000000000000']]) {
      const error = await setGroupRoles(admin, { groupKey, instanceKeys, version: 1 }).catch((e) => e)
      expect(error).toBeInstanceOf(ValidationError)
      expect(error.fieldErrors.instanceKeys[0]).toMatch(/deployed in QA/)
    }
    await expect(previewGroupRoles(admin, { groupKey, instanceKeys: [clerk.get('PRD')!] })).rejects.toBeInstanceOf(ValidationError)
    expect(await rolesOf(groupKey)).toEqual([approver.get('QA')!])
    expect(await versionOf(groupKey)).toBe(1)
    expect(await auditRows('group.roles_changed', groupKey)).toEqual([])
  })

  it('refuses a stale version with a "changed by someone else" conflict', async () => {
    const groupKey = await createGroup('Concurrent', 'QA')
    await setGroupRoles(admin, { groupKey, instanceKeys: [approver.get('QA')!], version: 1 })
    const error = await setGroupRoles(admin, { groupKey, instanceKeys: [viewer.get('QA')!], version: 1 }).catch((e) => e)
    expect(error).toBeInstanceOf(ConflictError)
    expect(error.message).toMatch(/changed by someone else.*Reload/)
    expect(await rolesOf(groupKey)).toEqual([approver.get('QA')!])
  })

  it('lets a role limited to QA manage QA groups only; Developer and signed-out callers are refused', async () => {
    const qa = await createGroup('QA group', 'QA')
    const prd = await createGroup('PRD group', 'PRD')
    const dev = await createGroup('DEV group', 'DEV')
    await setGroupRoles(qaManager.ctx(), { groupKey: qa, instanceKeys: [clerk.get('QA')!], version: 1 })
    expect(await rolesOf(qa)).toEqual([clerk.get('QA')!])
    // QA manager sees no PRD groups at all (endusers.view is inherited only in QA).
    await expect(setGroupRoles(qaManager.ctx(), { groupKey: prd, instanceKeys: [clerk.get('PRD')!], version: 1 })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(setGroupRoles(developer.ctx(), { groupKey: dev, instanceKeys: [approver.get('DEV')!], version: 1 })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(previewGroupRoles(developer.ctx(), { groupKey: dev, instanceKeys: [] })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(setGroupRoles(anonymous(), { groupKey: dev, instanceKeys: [], version: 1 })).rejects.toBeInstanceOf(UnauthenticatedError)
    expect(await rolesOf(prd)).toEqual([])
    expect(await rolesOf(dev)).toEqual([])
    expect(await auditRows('group.roles_changed', prd)).toEqual([])
  })

  it('refuses bad input with field errors', async () => {
    const groupKey = await createGroup('Bad input', 'DEV')
    const cases: Array<[unknown, string]> = [
      [{ groupKey, instanceKeys: ['nope'], version: 1 }, 'instanceKeys.0'],
      [{ groupKey, instanceKeys: [], version: 'x' }, 'version'],
      [{ groupKey: 'x', instanceKeys: [], version: 1 }, 'groupKey'],
      [{ groupKey, instanceKeys: [], version: 1, extra: 1 }, 'form'],
    ]
    for (const [input, field] of cases) {
      const error = await setGroupRoles(admin, input).catch((e) => e)
      expect(error, JSON.stringify(input)).toBeInstanceOf(ValidationError)
      expect(Object.keys(error.fieldErrors)).toContain(field)
    }
    expect(await versionOf(groupKey)).toBe(1)
  })
})
