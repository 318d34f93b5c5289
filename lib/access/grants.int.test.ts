import { beforeAll, describe, expect, it } from 'vitest'
import { getNavigation } from '@/lib/me/navigation'
import type { Ctx } from '@/lib/context'
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '@/lib/errors'
import { createApp } from '@/test/access-factories'
import { auditRows, createMember, createRole, roleKeyOf, userRow } from '@/test/factories'
import { ADMIN, anonymous, asUser, setupOrganization, useTestDatabase } from '@/test/harness'
import { getMyAccess, getUserAccess } from './explain-access'
import { setRoleGrant } from './grants'

describe('organization role grants at organization and app scope (ROLE-4)', () => {
  let admin: () => Ctx
  let adminKey: string
  let alpha: string
  let beta: string
  useTestDatabase()

  beforeAll(async () => {
    const org = await setupOrganization()
    adminKey = org.userKey
    admin = () => asUser(org.userKey, ADMIN.email)
    alpha = (await createApp('Alpha')).key
    beta = (await createApp('Beta')).key
    await createRole('App owner', [{ slug: 'asset.delete' }, { slug: 'users.manage' }])
  })

  it('adds an app-scope role on top of the organization role, for that app only (AUTHZ-1, AUTHZ-2)', async () => {
    const dev = await createMember(admin())
    await setRoleGrant(admin(), { userKey: dev.userKey, appKey: alpha, roleKey: await roleKeyOf('App owner') })
    const access = await getMyAccess(dev.ctx())
    expect(access.organizationRole).toMatchObject({ name: 'Developer', state: 'active' })
    expect(access.appRoles).toEqual([expect.objectContaining({ appKey: alpha, appName: 'Alpha', roleName: 'App owner', state: 'active' })])
    const perms = access.categories.flatMap((c) => c.permissions)
    expect(perms.find((p) => p.slug === 'asset.delete')!.sources).toEqual([expect.objectContaining({ appKey: alpha, scopeLabel: 'App owner · app Alpha' })])
    // users.manage is organization-only: listed in the role, but it confers nothing at app scope.
    expect(perms.find((p) => p.slug === 'users.manage')).toBeUndefined()
    const [event] = await auditRows('member.app_role_changed', dev.userKey)
    expect(event).toMatchObject({ actorKey: adminKey, changes: { before: { appRole: null }, after: { appRole: 'App owner' }, app: { key: alpha, name: 'Alpha' } } })
  })

  it('keeps at most one role per app, replacing it, and removes it with an empty role', async () => {
    const dev = await createMember(admin())
    await setRoleGrant(admin(), { userKey: dev.userKey, appKey: beta, roleKey: await roleKeyOf('App owner') })
    await setRoleGrant(admin(), { userKey: dev.userKey, appKey: beta, roleKey: await roleKeyOf('Administrator') })
    expect((await getMyAccess(dev.ctx())).appRoles.map((r) => r.roleName)).toEqual(['Administrator'])
    await setRoleGrant(admin(), { userKey: dev.userKey, appKey: beta, roleKey: '' })
    expect((await getMyAccess(dev.ctx())).appRoles).toEqual([])
    expect((await auditRows('member.app_role_changed', dev.userKey)).map((e) => e.changes?.after)).toEqual([
      { appRole: 'App owner' },
      { appRole: 'Administrator' },
      { appRole: null },
    ])
  })

  it('makes a user a member with only an app-scope role, and not one once it is removed', async () => {
    const dev = await createMember(admin())
    await setRoleGrant(admin(), { userKey: dev.userKey, roleKey: '' })
    expect((await userRow(dev.userKey)).isMember).toBe(false)
    await setRoleGrant(admin(), { userKey: dev.userKey, appKey: alpha, roleKey: await roleKeyOf('Developer') })
    expect((await userRow(dev.userKey)).isMember).toBe(true)
    await setRoleGrant(admin(), { userKey: dev.userKey, appKey: alpha, roleKey: '' })
    expect((await userRow(dev.userKey)).isMember).toBe(false)
  })

  it('honours a grant period: nothing before it starts or after it ends, with no job to run', async () => {
    const dev = await createMember(admin())
    const start = new Date('2027-01-01T09:00:00Z')
    await setRoleGrant(admin(), { userKey: dev.userKey, roleKey: await roleKeyOf('Administrator'), startsAt: '2027-01-01T09:00', endsAt: '2027-01-31T18:00' })
    const at = (iso: string): Ctx => ({ ...dev.ctx(), now: () => new Date(iso) })
    expect((await getMyAccess(at('2026-12-31T23:59:00Z'))).organizationRole).toMatchObject({ name: 'Administrator', state: 'scheduled', startsAt: start })
    expect((await getNavigation(at('2026-12-31T23:59:00Z'))).audit).toBe(false)
    expect((await getNavigation(at('2027-01-15T12:00:00Z'))).audit).toBe(true)
    expect((await getMyAccess(at('2027-01-31T18:00:00Z'))).organizationRole?.state).toBe('expired')
    expect((await getNavigation(at('2027-01-31T18:00:00Z'))).audit).toBe(false)
    const [event] = (await auditRows('member.organization_role_changed', dev.userKey)).slice(-1)
    expect(event.changes).toMatchObject({ after: { organizationRole: 'Administrator', startsAt: '2027-01-01T09:00:00.000Z', endsAt: '2027-01-31T18:00:00.000Z' } })
  })

  it('refuses bad periods, unknown apps and roles, and changes nothing', async () => {
    const dev = await createMember(admin())
    const before = await auditRows('member.organization_role_changed', dev.userKey)
    await expect(setRoleGrant(admin(), { userKey: dev.userKey, roleKey: await roleKeyOf('Administrator'), startsAt: '2027-02-01T00:00', endsAt: '2027-01-01T00:00' })).rejects.toMatchObject({
      fieldErrors: { endsAt: ['The end must be after the start.'] },
    })
    await expect(setRoleGrant(admin(), { userKey: dev.userKey, roleKey: await roleKeyOf('Administrator'), startsAt: 'next tuesday' })).rejects.toBeInstanceOf(ValidationError)
    await expect(setRoleGrant(admin(), { userKey: dev.userKey, appKey: dev.userKey, roleKey: await roleKeyOf('Administrator') })).rejects.toBeInstanceOf(NotFoundError)
    await expect(setRoleGrant(admin(), { userKey: dev.userKey, roleKey: alpha })).rejects.toBeInstanceOf(ValidationError)
    await expect(setRoleGrant(admin(), { userKey: dev.userKey, roleKey: '', extra: 1 })).rejects.toBeInstanceOf(ValidationError)
    expect(await auditRows('member.organization_role_changed', dev.userKey)).toEqual(before)
    expect((await getMyAccess(dev.ctx())).organizationRole?.name).toBe('Developer')
  })

  it('never lets the last administrator lose an active Administrator grant through a period', async () => {
    const other = await createMember(admin(), { role: 'Administrator' })
    await createRole('Access desk', [{ slug: 'users.manage_member_access' }])
    const desk = await createMember(admin(), { role: 'Access desk' })
    await setRoleGrant(other.ctx(), { userKey: adminKey, roleKey: await roleKeyOf('Administrator'), endsAt: '2020-01-01T00:00' })
    // The first administrator's grant has expired: `other` is the last active one.
    await expect(setRoleGrant(desk.ctx(), { userKey: other.userKey, roleKey: await roleKeyOf('Administrator'), startsAt: '2030-01-01T00:00' })).rejects.toThrow(/last active administrator/)
    await expect(setRoleGrant(desk.ctx(), { userKey: other.userKey, roleKey: await roleKeyOf('Developer') })).rejects.toThrow(/last active administrator/)
    // Renewing the expired grant is fine, and then either may be limited again.
    await setRoleGrant(desk.ctx(), { userKey: adminKey, roleKey: await roleKeyOf('Administrator') })
    await setRoleGrant(desk.ctx(), { userKey: other.userKey, roleKey: await roleKeyOf('Developer') })
    expect((await getMyAccess(other.ctx())).organizationRole?.name).toBe('Developer')
  })

  it('is only for those who may manage member access', async () => {
    const dev = await createMember(admin())
    const target = await createMember(admin())
    await expect(setRoleGrant(dev.ctx(), { userKey: target.userKey, appKey: alpha, roleKey: await roleKeyOf('Administrator') })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(setRoleGrant(anonymous(), { userKey: target.userKey, roleKey: '' })).rejects.toBeInstanceOf(UnauthenticatedError)
    expect((await getMyAccess(target.ctx())).appRoles).toEqual([])
  })

  it('explains another user’s access to those who may see them, and to nobody else', async () => {
    const dev = await createMember(admin())
    const auditorRole = await createRole('Only audit', [{ slug: 'org.view_audit' }])
    const auditor = await createMember(admin(), { role: 'Only audit' })
    expect(auditorRole).toBeTruthy()
    expect((await getUserAccess(admin(), { userKey: dev.userKey })).organizationRole?.name).toBe('Developer')
    expect((await getUserAccess(dev.ctx(), { userKey: adminKey })).organizationRole?.name).toBe('Administrator')
    await expect(getUserAccess(auditor.ctx(), { userKey: dev.userKey })).rejects.toBeInstanceOf(ForbiddenError)
  })
})
