import { beforeAll, describe, expect, it } from 'vitest'
import type { Ctx } from '@/lib/context'
import { ForbiddenError, UnauthenticatedError } from '@/lib/errors'
import { auditRows, createMember, createRole as createRoleRow, grantHolders, grantRoleTo, insertUsers, roleKeyOf, roleRow, stageKeyOf, userRow } from '@/test/factories'
import { createApp } from '@/test/access-factories'
import { ADMIN, anonymous, asUser, setupOrganization, useTestDatabase } from '@/test/harness'
import { deleteRole } from './delete-role'
import { listRoleHolders } from './list-role-holders'
import { previewRoleChange, previewRoleDeletion } from './preview-role-change'
import { updateRole } from './update-role'

const lostOf = (impact: { lost: Array<{ label: string; users: number }> }) => impact.lost.map((l) => `${l.users} ${l.label}`)

describe('impact before harm: previews, edits and deletion of assigned roles', () => {
  useTestDatabase()
  let admin: () => Ctx
  let developer: () => Ctx
  let adminKey: string
  let dev: string, qa: string, prd: string
  let app: { key: string }

  beforeAll(async () => {
    const org = await setupOrganization()
    adminKey = org.userKey
    admin = () => asUser(org.userKey, ADMIN.email)
    developer = (await createMember(admin(), { role: 'Developer' })).ctx
    ;[dev, qa, prd] = await Promise.all(['DEV', 'QA', 'PRD'].map(stageKeyOf))
    app = await createApp('Storefront')
  })

  it('expands inheritance: dropping Change loses Change and Debug, not Open', async () => {
    const roleKey = await createRoleRow('Builders', [{ slug: 'asset.change' }])
    await grantHolders('Builders', 2)
    await grantHolders('Builders', 1, { appKey: app.key, prefix: 'app builder' })
    const impact = await previewRoleChange(admin(), { roleKey, permissions: [{ slug: 'asset.open' }] })
    expect(impact.holders).toEqual({ organization: 2, app: 1, total: 3 })
    expect(lostOf(impact)).toEqual(['3 Asset management · Debug', '3 Asset management · Change'])
    expect(impact.usersLosingAccess).toBe(3)
  })

  it('counts stage-limited losses per stage', async () => {
    const roleKey = await createRoleRow('Deployers', [{ slug: 'release.deploy' }, { slug: 'endusers.manage_access', stages: ['DEV', 'PRD'] }])
    await grantHolders('Deployers', 12)
    const impact = await previewRoleChange(admin(), {
      roleKey,
      permissions: [
        { slug: 'release.deploy', stageKeys: [dev] },
        { slug: 'endusers.view', stageKeys: [prd, dev] },
      ],
    })
    expect(lostOf(impact)).toEqual(['12 Release management · Deploy assets in QA, PRD', '12 End-user management · Manage end-user access in DEV, PRD'])
    // Widening is no loss.
    const widening = await previewRoleChange(admin(), { roleKey, permissions: [{ slug: 'release.deploy' }, { slug: 'endusers.manage_access', stageKeys: [dev, qa, prd] }] })
    expect(widening.lost).toEqual([])
  })

  it('keeps what a remaining parent still implies, in the stages it implies it', async () => {
    const roleKey = await createRoleRow('Access desk', [{ slug: 'endusers.manage_access', stages: ['DEV'] }, { slug: 'endusers.view' }])
    await grantHolders('Access desk', 4)
    const impact = await previewRoleChange(admin(), { roleKey, permissions: [{ slug: 'endusers.manage_access', stageKeys: [dev] }] })
    expect(lostOf(impact)).toEqual(['4 End-user management · View end-users in QA, PRD'])
  })

  it('app-scope holders lose only what works at app scope; expired grants lose nothing', async () => {
    const roleKey = await createRoleRow('Mixed', [{ slug: 'users.view_members' }, { slug: 'asset.open' }])
    await grantHolders('Mixed', 2, { prefix: 'org mixed' })
    await grantHolders('Mixed', 3, { appKey: app.key, prefix: 'app mixed' })
    await grantHolders('Mixed', 4, { endsAt: new Date('2020-01-01T00:00:00Z'), prefix: 'expired mixed' })
    await grantHolders('Mixed', 1, { startsAt: new Date('2999-01-01T00:00:00Z'), prefix: 'scheduled mixed' })
    const impact = await previewRoleDeletion(admin(), { roleKey })
    expect(impact.holders).toEqual({ organization: 3, app: 3, total: 6 })
    expect(lostOf(impact)).toEqual(['6 Asset management · Open', '3 User and access management · View members (organization-scope holders)'])
    expect(impact.usersLosingAccess).toBe(6)
  })

  it('records the recomputed impact when an edit is applied', async () => {
    const roleKey = await createRoleRow('Shrinking', [{ slug: 'release.deploy', stages: ['DEV', 'QA', 'PRD'] }])
    await grantHolders('Shrinking', 5)
    await updateRole(admin(), { roleKey, version: 1, name: 'Shrinking', permissions: [{ slug: 'release.deploy', stageKeys: [dev, qa] }] })
    const [event] = await auditRows('role.updated', roleKey)
    expect(event.changes).toMatchObject({
      before: { permissions: ['release.deploy@DEV,QA,PRD'] },
      after: { permissions: ['release.deploy@DEV,QA'] },
      impact: { usersLosingAccess: 5, lost: ['5 users: Release management · Deploy assets in PRD'] },
    })
  })

  it('previews are for role managers only', async () => {
    const roleKey = await roleKeyOf('Builders')
    await expect(previewRoleDeletion(developer(), { roleKey })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(previewRoleChange(anonymous(), { roleKey, permissions: [] })).rejects.toBeInstanceOf(UnauthenticatedError)
    await expect(previewRoleDeletion(admin(), { roleKey: await roleKeyOf('Administrator') })).rejects.toBeInstanceOf(ForbiddenError)
  })

  it('deleting an assigned role revokes its grants, refreshes membership flags and audits the counts', async () => {
    const roleKey = await createRoleRow('Doomed', [{ slug: 'asset.open' }])
    const [onlyThis, alsoOther, appOnly] = await insertUsers([{ name: 'Only doomed' }, { name: 'Doomed and auditor' }, { name: 'Doomed for an app' }])
    await grantRoleTo(onlyThis, 'Doomed')
    await grantRoleTo(alsoOther, 'Doomed')
    await grantRoleTo(alsoOther, 'Developer', app.key)
    await grantRoleTo(appOnly, 'Doomed', app.key)
    const result = await deleteRole(admin(), { roleKey, version: '1' })
    expect(result).toEqual({ grantsRevoked: 3, usersAffected: 3 })
    expect(await roleRow(roleKey)).toBeUndefined()
    expect((await userRow(onlyThis)).isMember).toBe(false)
    expect((await userRow(alsoOther)).isMember).toBe(true)
    expect((await userRow(appOnly)).isMember).toBe(false)
    const [event] = await auditRows('role.deleted', roleKey)
    expect(event.changes).toMatchObject({
      before: { name: 'Doomed', permissions: ['asset.open'] },
      grantsRevoked: 3,
      usersAffected: 3,
      impact: { usersLosingAccess: 3, lost: ['3 users: Asset management · Open'] },
    })
  })

  it('never deletes a built-in role, so the last administrator keeps theirs', async () => {
    const administrator = await roleKeyOf('Administrator')
    await expect(deleteRole(admin(), { roleKey: administrator })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(deleteRole(admin(), { roleKey: await roleKeyOf('Developer') })).rejects.toThrow(/built-in/)
    expect((await userRow(adminKey)).isMember).toBe(true)
    const still = await listRoleHolders(admin(), { roleKey: administrator })
    expect(still.rows.map((r) => r.userKey)).toEqual([adminKey])
  })

  it('refuses deletion to members without the permission, and a stale version', async () => {
    const roleKey = await createRoleRow('Kept', [{ slug: 'mentor.use' }])
    await expect(deleteRole(developer(), { roleKey })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(deleteRole(anonymous(), { roleKey })).rejects.toBeInstanceOf(UnauthenticatedError)
    await expect(deleteRole(admin(), { roleKey, version: 7 })).rejects.toThrow(/changed by someone else/)
    expect(await roleRow(roleKey)).toBeDefined()
  })

  it('lists the holders of a role in keyset pages with scope and grant period state', async () => {
    const roleKey = await createRoleRow('Listed', [{ slug: 'asset.open' }])
    await grantHolders('Listed', 5, { prefix: 'a listed' })
    await grantHolders('Listed', 1, { appKey: app.key, prefix: 'b app listed' })
    await grantHolders('Listed', 1, { startsAt: new Date('2999-01-01T00:00:00Z'), prefix: 'c scheduled listed' })
    await grantHolders('Listed', 1, { endsAt: new Date('2020-01-01T00:00:00Z'), prefix: 'd expired listed' })
    const first = await listRoleHolders(developer(), { roleKey, perPage: 5 })
    expect(first.total).toBe(8)
    expect(first.rows.map((r) => r.name)).toEqual(['a listed 000', 'a listed 001', 'a listed 002', 'a listed 003', 'a listed 004'])
    expect(first.previous).toBeNull()
    const second = await listRoleHolders(developer(), { roleKey, perPage: 5, after: first.next! })
    expect(second.rows.map((r) => [r.name, r.scope.type === 'app' ? r.scope.appName : 'organization', r.state])).toEqual([
      ['b app listed 000', 'Storefront', 'active'],
      ['c scheduled listed 000', 'organization', 'scheduled'],
      ['d expired listed 000', 'organization', 'expired'],
    ])
    expect(second.next).toBeNull()
    const back = await listRoleHolders(developer(), { roleKey, perPage: 5, before: second.previous! })
    expect(back.rows.map((r) => r.name)).toEqual(first.rows.map((r) => r.name))
    expect(back.previous).toBeNull()
    const auditorKey = await createRoleRow('Audit only', [{ slug: 'org.view_audit' }])
    const auditor = await createMember(admin(), { role: 'Audit only' })
    await expect(listRoleHolders(auditor.ctx(), { roleKey: auditorKey })).rejects.toBeInstanceOf(ForbiddenError)
  })
})
