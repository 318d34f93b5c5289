import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { organizations, roleAssignments } from '@/db/schema'
import { insertApiClient, type TestApiClient, tokenFor, requestInit as init, keyParams } from '@/lib/api/testing'
import { accessSnapshot, createApp, createAppRole, grantAppRole } from '@/test/access-factories'
import { expectConforms } from '@/test/contract'
import { auditRows, createRole, grantRoleTo, insertUsers, roleKeyOf, userRow } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { DELETE as revokeRoute, POST as grantRoute } from './[roleKey]/route'
import { GET as listRoute } from './route'

// GET /api/identity/v1/users/{key}/organization-roles (UserOrganizationRoles_GetUserOrganizationRoles)
// and POST/DELETE …/organization-roles/{roleKey} (_GrantOrganizationRoleToUser, _RevokeOrganizationRoleForUser).

const BASE = 'http://localhost:3000/api/identity/v1/users'
const UNKNOWN = '00000000-0000-4000-8000-000000000000'
type Grant = { key: string; name: string; grantPeriod: { startTime: string | null; endTime: string | null } | null; assetKey: string | null; portfolioKey: null }
type Page = { results: Grant[]; page: Record<string, number | null> }
type Problem = { status: number; errorCode: string; detail: string; errors?: Record<string, string[]> }


describe('/api/identity/v1/users/{key}/organization-roles', () => {
  useTestDatabase()
  const t: Record<'accessManager' | 'viewer' | 'usersManager' | 'endViewer', string> = { accessManager: '', viewer: '', usersManager: '', endViewer: '' }
  let accessClient: TestApiClient
  let adminKey: string
  const role: Record<'Administrator' | 'Developer' | 'Auditor' | 'Owner', string> = { Administrator: '', Developer: '', Auditor: '', Owner: '' }
  let shop: string
  let blog: string
  let member: string

  beforeAll(async () => {
    adminKey = (await setupOrganization()).userKey
    const db = await getDb()
    // Well over the 100 requests a minute this file sends; the limit has its own tests.
    await db.update(organizations).set({ apiRateLimit: 10_000 })
    accessClient = await insertApiClient({ permissions: [{ slug: 'users.manage_member_access' }] })
    t.accessManager = await tokenFor(accessClient)
    t.viewer = await tokenFor(await insertApiClient({ permissions: [{ slug: 'users.view_members' }] }))
    t.usersManager = await tokenFor(await insertApiClient({ permissions: [{ slug: 'users.manage' }] }))
    t.endViewer = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.view' }] }))
    role.Administrator = await roleKeyOf('Administrator')
    role.Developer = await roleKeyOf('Developer')
    role.Auditor = await createRole('Auditor', [{ slug: 'org.view_audit' }])
    role.Owner = await createRole('App owner', [{ slug: 'asset.change' }])
    shop = (await createApp('Shop')).key
    blog = (await createApp('Blog')).key
    ;[member] = await insertUsers([{ name: 'Mia Member', isMember: true }])
    await db.insert(roleAssignments).values([
      { userKey: member, roleKey: role.Developer, appKey: null, startsAt: new Date('2025-01-01T00:00:00Z'), endsAt: new Date('2030-01-01T00:00:00Z') },
      { userKey: member, roleKey: role.Owner, appKey: shop },
      { userKey: member, roleKey: role.Developer, appKey: blog },
    ])
  })

  const list = async (key: string, query = '', token: string | null = t.viewer) =>
    (await expectConforms('UserOrganizationRoles_GetUserOrganizationRoles', await listRoute(new Request(`${BASE}/${key}/organization-roles${query}`, init(token)), keyParams(key)))) as Page &
      Problem
  const call = async (method: 'POST' | 'DELETE', key: string, roleKey: string, body?: unknown, token: string | null = t.accessManager) => {
    const route = method === 'POST' ? grantRoute : revokeRoute
    const response = await route(new Request(`${BASE}/${key}/organization-roles/${roleKey}`, init(token, method, body)), { params: Promise.resolve({ key, roleKey }) })
    const status = response.status
    const body_ = (await expectConforms(method === 'POST' ? 'UserOrganizationRoles_GrantOrganizationRoleToUser' : 'UserOrganizationRoles_RevokeOrganizationRoleForUser', response)) as Problem | null
    return { status, body: body_ }
  }
  const grantsOf = async (userKey: string) =>
    (await (await getDb()).select({ roleKey: roleAssignments.roleKey, appKey: roleAssignments.appKey, startsAt: roleAssignments.startsAt, endsAt: roleAssignments.endsAt }).from(roleAssignments).where(eq(roleAssignments.userKey, userKey))).sort(
      (a, b) => (a.appKey ?? '').localeCompare(b.appKey ?? ''),
    )

  it('lists the organization-scope role first, then app roles by app name, in ODC’s shape', async () => {
    const all = await list(member)
    expect(all.results).toEqual([
      { key: role.Developer, name: 'Developer', grantPeriod: { startTime: '2025-01-01T00:00:00.000Z', endTime: '2030-01-01T00:00:00.000Z' }, assetKey: null, portfolioKey: null },
      { key: role.Developer, name: 'Developer', grantPeriod: null, assetKey: blog, portfolioKey: null },
      { key: role.Owner, name: 'App owner', grantPeriod: null, assetKey: shop, portfolioKey: null },
    ])
    expect(all.page).toEqual({ count: 3, limit: 100, offset: 0, totalResults: 3, nextPageOffset: null, totalPages: 1 })
  })

  it('filters by scope and app, and pages', async () => {
    const assetsOf = (p: Page) => p.results.map((r) => r.assetKey)
    expect(assetsOf(await list(member, '?scopes=Organization'))).toEqual([null])
    expect(assetsOf(await list(member, '?scopes=asset'))).toEqual([blog, shop])
    expect(assetsOf(await list(member, '?scopes=Organization,Asset'))).toEqual([null, blog, shop])
    expect(assetsOf(await list(member, '?scopes=Organization&scopes=Asset'))).toEqual([null, blog, shop])
    expect(assetsOf(await list(member, `?assetKeys=${shop}`))).toEqual([shop])
    expect(assetsOf(await list(member, `?scopes=Organization,Asset&assetKeys=${shop}`))).toEqual([null, shop])
    expect(assetsOf(await list(member, `?assetKeys=${UNKNOWN}`))).toEqual([])
    const first = await list(member, '?limit=2')
    expect(first.page).toEqual({ count: 2, limit: 2, offset: 0, totalResults: 3, nextPageOffset: 2, totalPages: 2 })
    expect(assetsOf(await list(member, '?limit=2&offset=2'))).toEqual([shop])
    expect(await list(member, '?offset=7')).toMatchObject({ results: [], page: { count: 0, totalResults: 3, nextPageOffset: null } })
  })

  it('refuses bad parameters (400), unknown or invisible users (404), callers without the permission (403, 401)', async () => {
    for (const query of ['?limit=0', '?limit=101', '?scopes=App', '?assetKeys=nope', '?offset=x']) expect(await list(member, query)).toMatchObject({ status: 400, errorCode: 'GH-ID-VAL-40001' })
    expect(await list('nope')).toMatchObject({ status: 400, errors: { key: expect.any(Array) } })
    expect(await list(UNKNOWN)).toMatchObject({ status: 404 })
    // An end-user is not a member: those who may only view members do not see them.
    const [endUser] = await insertUsers([{ name: 'Ed End' }])
    const app = await createApp('Visibility')
    await grantAppRole(endUser, [(await createAppRole(app.key, 'Reader')).instances.get('DEV')!])
    expect(await list(endUser)).toMatchObject({ status: 404 })
    expect(await list(endUser, '', t.usersManager)).toMatchObject({ results: [], page: { totalResults: 0 } })
    expect((await list(member, '', t.usersManager)).results).toHaveLength(3)
    expect(await list(member, '', t.endViewer)).toMatchObject({ status: 403, errorCode: 'GH-ID-PERM-40301' })
    expect(await list(member, '', null)).toMatchObject({ status: 401 })
  })

  it('grants at organization scope (201), replacing the current role, and makes an end-user a member', async () => {
    const [user] = await insertUsers([{ name: 'Otto Org' }])
    // No body at all is an organization-scope grant with no period.
    expect(await call('POST', user, role.Auditor)).toEqual({ status: 201, body: null })
    expect(await grantsOf(user)).toEqual([{ roleKey: role.Auditor, appKey: null, startsAt: null, endsAt: null }])
    expect((await userRow(user)).isMember).toBe(true)
    const body = { grantPeriod: { startTime: '2026-01-01T00:00:00Z', endTime: '2026-06-30T12:00:00+02:00' }, assetKeys: [], portfolioKey: null }
    expect(await call('POST', user, role.Developer, body)).toEqual({ status: 201, body: null })
    expect((await list(user)).results).toEqual([
      { key: role.Developer, name: 'Developer', grantPeriod: { startTime: '2026-01-01T00:00:00.000Z', endTime: '2026-06-30T10:00:00.000Z' }, assetKey: null, portfolioKey: null },
    ])
    const events = await auditRows('member.organization_role_changed', user)
    expect(events.map((e) => [e.actorType, e.actorKey, e.changes])).toEqual([
      ['api_client', accessClient.key, expect.objectContaining({ before: { organizationRole: null }, after: { organizationRole: 'Auditor' } })],
      ['api_client', accessClient.key, expect.objectContaining({ before: expect.objectContaining({ organizationRole: 'Auditor' }), after: expect.objectContaining({ organizationRole: 'Developer' }) })],
    ])
    // The same grant again changes nothing.
    expect(await call('POST', user, role.Developer, body)).toEqual({ status: 201, body: null })
    expect(await auditRows('member.organization_role_changed', user)).toHaveLength(2)
  })

  it('grants for several apps at once, one role per app; an unknown app refuses them all', async () => {
    const [user] = await insertUsers([{ name: 'Ann Apps' }])
    await grantRoleTo(user, 'Developer', shop)
    // A portfolio key is accepted and has no effect: there is one portfolio.
    expect(await call('POST', user, role.Owner, { assetKeys: [shop, blog, shop], portfolioKey: UNKNOWN })).toEqual({ status: 201, body: null })
    expect(await grantsOf(user)).toEqual(
      [
        { roleKey: role.Owner, appKey: shop, startsAt: null, endsAt: null },
        { roleKey: role.Owner, appKey: blog, startsAt: null, endsAt: null },
      ].sort((a, b) => a.appKey.localeCompare(b.appKey)),
    )
    expect(await auditRows('member.app_role_changed', user)).toHaveLength(2)
    const before = await accessSnapshot()
    expect(await call('POST', user, role.Auditor, { assetKeys: [shop, UNKNOWN] })).toMatchObject({ status: 400, body: { errors: { assetKeys: [expect.stringContaining(UNKNOWN)] } } })
    expect(await accessSnapshot()).toEqual(before)
  })

  it('refuses grants that would leave no administrator (403), and bad requests, changing nothing', async () => {
    const [user] = await insertUsers([{ name: 'Bad Request' }])
    const before = await accessSnapshot()
    const refusal = await call('POST', adminKey, role.Developer)
    expect(refusal).toMatchObject({ status: 403, body: { errorCode: 'GH-ID-PERM-40301', detail: expect.stringMatching(/last active administrator/) } })
    expect(await call('POST', user, UNKNOWN)).toMatchObject({ status: 404, body: { detail: expect.stringMatching(/organization role/) } })
    expect(await call('POST', UNKNOWN, role.Auditor)).toMatchObject({ status: 404, body: { detail: expect.stringMatching(/user/) } })
    expect(await call('POST', user, 'nope')).toMatchObject({ status: 400, body: { errors: { roleKey: expect.any(Array) } } })
    expect(await call('POST', user, role.Auditor, { assetKeys: [], extra: true })).toMatchObject({ status: 400, body: { errors: { form: [expect.stringMatching(/extra/)] } } })
    expect(await call('POST', user, role.Auditor, { grantPeriod: { startTime: '2026-02-01T00:00:00Z', endTime: '2026-01-01T00:00:00Z' } })).toMatchObject({
      status: 400,
      body: { errors: { 'grantPeriod.endTime': expect.any(Array) } },
    })
    expect(await call('POST', user, role.Auditor, { grantPeriod: { startTime: 'tomorrow' } })).toMatchObject({ status: 400 })
    expect(await call('POST', user, role.Auditor, { assetKeys: ['nope'] })).toMatchObject({ status: 400 })
    expect(await call('POST', user, role.Auditor, '{not json')).toMatchObject({ status: 400 })
    expect(await call('POST', user, role.Auditor, {}, t.viewer)).toMatchObject({ status: 403 })
    expect(await call('POST', user, role.Auditor, {}, null)).toMatchObject({ status: 401 })
    expect(await accessSnapshot()).toEqual(before)
    expect(await grantsOf(adminKey)).toEqual([{ roleKey: role.Administrator, appKey: null, startsAt: null, endsAt: null }])
  })

  it('revokes at organization scope or for some apps (204); another role at that scope is left alone', async () => {
    const [user] = await insertUsers([{ name: 'Rex Revoke' }])
    await grantRoleTo(user, 'Auditor')
    await grantRoleTo(user, 'App owner', shop)
    await grantRoleTo(user, 'App owner', blog)
    // Not the role held at organization scope: nothing to revoke there.
    expect(await call('DELETE', user, role.Developer)).toEqual({ status: 204, body: null })
    expect(await call('DELETE', user, role.Owner, { assetKeys: [shop] })).toEqual({ status: 204, body: null })
    expect((await grantsOf(user)).map((g) => g.appKey)).toEqual([null, blog].sort((a, b) => (a ?? '').localeCompare(b ?? '')))
    expect(await call('DELETE', user, role.Auditor, {})).toEqual({ status: 204, body: null })
    expect(await call('DELETE', user, role.Owner, { assetKeys: [blog] })).toEqual({ status: 204, body: null })
    expect(await grantsOf(user)).toEqual([])
    expect((await userRow(user)).isMember).toBe(false)
    expect(await auditRows('member.app_role_changed', user)).toHaveLength(2)
    const [event] = await auditRows('member.organization_role_changed', user)
    expect(event).toMatchObject({ actorKey: accessClient.key, changes: { before: { organizationRole: 'Auditor' }, after: { organizationRole: null } } })
    expect(await call('DELETE', user, role.Auditor)).toEqual({ status: 204, body: null })
    expect(await auditRows('member.organization_role_changed', user)).toHaveLength(1)
  })

  it('refuses revoking the last administrator (403), and bad requests, changing nothing', async () => {
    const before = await accessSnapshot()
    expect(await call('DELETE', adminKey, role.Administrator)).toMatchObject({ status: 403, body: { detail: expect.stringMatching(/last active administrator/) } })
    expect(await call('DELETE', member, UNKNOWN)).toMatchObject({ status: 404 })
    expect(await call('DELETE', UNKNOWN, role.Developer)).toMatchObject({ status: 404 })
    expect(await call('DELETE', member, role.Owner, { assetKeys: [UNKNOWN] })).toMatchObject({ status: 400, body: { errors: { assetKeys: expect.any(Array) } } })
    expect(await call('DELETE', member, role.Owner, { assetKeys: [shop], grantPeriod: null })).toMatchObject({ status: 400 })
    expect(await call('DELETE', 'nope', role.Owner)).toMatchObject({ status: 400, body: { errors: { key: expect.any(Array) } } })
    expect(await call('DELETE', member, role.Developer, undefined, t.viewer)).toMatchObject({ status: 403 })
    expect(await call('DELETE', member, role.Developer, undefined, null)).toMatchObject({ status: 401 })
    expect(await accessSnapshot()).toEqual(before)
    expect((await list(member)).results).toHaveLength(3)
  })
})
