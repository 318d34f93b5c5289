import { beforeAll, describe, expect, it, vi } from 'vitest'
import { getUserAccess } from '@/lib/access/explain-access'
import type { Ctx } from '@/lib/context'
import { createApp, createAppRole, grantAppRole } from '@/test/access-factories'
import { auditRows, createMember, createRole, insertUsers, roleKeyOf } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { current, form, redirected } from '@/test/next-stubs'

vi.mock('@/lib/request', () => import('@/test/next-stubs').then((m) => m.request))
vi.mock('next/cache', () => import('@/test/next-stubs').then((m) => m.cache))
vi.mock('next/navigation', () => import('@/test/next-stubs').then((m) => m.navigation))

const actions = await import('./actions')

describe('grant changes that take access away are confirmed first (impact before harm)', () => {
  useTestDatabase()
  let admin: Ctx
  let app: { key: string; stages: Map<string, string> }

  beforeAll(async () => {
    ;({ admin } = await setupOrganization())
    current.ctx = admin
    app = await createApp('Billing')
    await createRole('QA deployer', [{ slug: 'release.deploy', stages: ['QA'] }, { slug: 'asset.open' }])
  })

  it('shows what a member loses when their organization role is removed, and applies it once confirmed', async () => {
    const dev = await createMember(admin)
    const first = await actions.setRoleGrantAction(null, form({ userKey: dev.userKey, roleKey: '', returnTab: 'organization' }))
    expect(first).toMatchObject({ ok: false, fieldErrors: { confirm: expect.arrayContaining(['Release management · Deploy assets in DEV', 'User and access management · View members']) } })
    expect(await auditRows('member.organization_role_changed', dev.userKey)).toEqual([])
    const url = await redirected(actions.setRoleGrantAction(null, form({ userKey: dev.userKey, roleKey: '', returnTab: 'organization', confirmed: 'yes' })))
    expect(url).toBe(`/users/${dev.userKey}?tab=organization&notice=grant-saved`)
    expect((await getUserAccess(admin, { userKey: dev.userKey })).organizationRole).toBeNull()
  })

  it('asks nothing when a change only adds, and counts the organization role when an app role goes', async () => {
    const dev = await createMember(admin)
    await redirected(actions.setRoleGrantAction(null, form({ userKey: dev.userKey, appKey: app.key, roleKey: await roleKeyOf('QA deployer') })))
    // Developer already opens every app; only the QA deployment is lost with the app role.
    const removal = await actions.setRoleGrantAction(null, form({ userKey: dev.userKey, appKey: app.key, roleKey: '' }))
    expect(removal).toMatchObject({ ok: false, fieldErrors: { confirm: ['Release management · Deploy assets in QA for Billing'] } })
  })

  it('confirms removing direct end-user roles, but not roles a group still grants', async () => {
    const role = await createAppRole(app.key, 'Payer')
    const [user] = await insertUsers([{ name: 'Pat Payer' }])
    await grantAppRole(user, [role.instances.get('PRD')!])
    const first = await actions.setEndUserRolesAction(null, form({ userKey: user, appKeys: [app.key], instanceKeys: [] }))
    expect(first).toMatchObject({ ok: false, fieldErrors: { confirm: ['Billing · Payer in PRD'] } })
    expect((await getUserAccess(admin, { userKey: user })).endUserRoles).toHaveLength(1)
    await redirected(actions.setEndUserRolesAction(null, form({ userKey: user, appKeys: [app.key], instanceKeys: [], confirmed: 'yes' })))
    expect((await getUserAccess(admin, { userKey: user })).endUserRoles).toEqual([])
    // Adding needs no confirmation.
    await redirected(actions.setEndUserRolesAction(null, form({ userKey: user, appKeys: [app.key], instanceKeys: [role.instances.get('QA')!] })))
  })
})
