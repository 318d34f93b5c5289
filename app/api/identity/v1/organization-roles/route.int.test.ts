import { beforeAll, describe, expect, it } from 'vitest'
import { insertApiClient, tokenFor, requestInit as init, keyParams } from '@/lib/api/testing'
import { permissionsBySlug } from '@/lib/authz/catalogue'
import { expectConforms } from '@/test/contract'
import { createApp } from '@/test/access-factories'
import { insertUsers, grantRoleTo, roleKeyOf, roleRow, stageKeyOf } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { DELETE, GET as readRole, PATCH } from './[key]/route'
import { GET as usersByRole } from './[key]/users/route'
import { GET as queryRoles, POST } from './route'

const BASE = 'http://localhost:3000/api/identity/v1/organization-roles'
type Page = { results: Array<Record<string, unknown>>; page: Record<string, unknown> }
type Problem = { status: number; errorCode: string; errors?: Record<string, string[]> }
const perm = (slug: string) => permissionsBySlug.get(slug)!.key

const noParams = { params: Promise.resolve({}) }

const list = async (token: string | null, query = '') => expectConforms('OrganizationRole_QueryOrganizationRoles', await queryRoles(new Request(`${BASE}${query}`, init(token)), noParams))
const read = async (token: string | null, key: string) => expectConforms('OrganizationRole_ReadOrganizationRole', await readRole(new Request(`${BASE}/${key}`, init(token)), keyParams(key)))
const create = async (token: string | null, body: unknown) => {
  const response = await POST(new Request(BASE, init(token, 'POST', body)), noParams)
  const status = response.status
  return { status, body: (await expectConforms('OrganizationRole_CreateOrganizationRole', response)) as Record<string, unknown> }
}
const patch = async (token: string | null, key: string, body: unknown) => {
  const response = await PATCH(new Request(`${BASE}/${key}`, init(token, 'PATCH', body)), keyParams(key))
  const status = response.status
  return { status, body: (await expectConforms('OrganizationRole_UpdateOrganizationRole', response)) as Problem | null }
}
const remove = async (token: string | null, key: string) => {
  const response = await DELETE(new Request(`${BASE}/${key}`, init(token, 'DELETE')), keyParams(key))
  const status = response.status
  return { status, body: (await expectConforms('OrganizationRole_DeleteOrganizationRole', response)) as Problem | null }
}
const users = async (token: string | null, key: string, query = '') =>
  expectConforms('OrganizationRole_QueryUsersByRole', await usersByRole(new Request(`${BASE}/${key}/users${query}`, init(token)), keyParams(key)))

const UNKNOWN = '00000000-0000-4000-8000-000000000000'

describe('/api/identity/v1/organization-roles', () => {
  useTestDatabase()
  let manager: string
  let viewer: string
  let outsider: string
  let admin: string
  let developer: string
  let qa: string
  beforeAll(async () => {
    await setupOrganization()
    manager = await tokenFor(await insertApiClient({ permissions: [{ slug: 'users.manage_roles' }] }))
    viewer = await tokenFor(await insertApiClient({ permissions: [{ slug: 'users.view_members' }] }))
    outsider = await tokenFor(await insertApiClient({ permissions: [{ slug: 'asset.open' }] }))
    admin = await roleKeyOf('Administrator')
    developer = await roleKeyOf('Developer')
    qa = await stageKeyOf('QA')
  })

  it('creates a role (201 {orgRoleKey}) that reads back in ODC shape', async () => {
    const { status, body } = await create(manager, {
      name: 'Release captain',
      permissions: [
        { permissionKey: perm('release.deploy'), environmentKeys: [qa], portfolioKeys: [], claimName: null, name: null },
        { permissionKey: perm('asset.open'), environmentKeys: null },
      ],
    })
    expect(status).toBe(201)
    const key = body.orgRoleKey as string
    expect(await read(viewer, key)).toEqual({
      key,
      name: 'Release captain',
      isReadOnly: false,
      permissions: [
        { permissionKey: perm('asset.open'), environmentKeys: [], portfolioKeys: [], claimName: 'asset.open', name: 'Open' },
        { permissionKey: perm('release.deploy'), environmentKeys: [qa], portfolioKeys: [], claimName: 'release.deploy', name: expect.any(String) },
      ],
    })
    expect((await roleRow(key)).description).toBe('')
  })

  it('refuses on create: a duplicate name (409), bad bodies (400), no permission (403), no token (401)', async () => {
    await create(manager, { name: 'Duplicate me', permissions: [] })
    expect(await create(manager, { name: 'DUPLICATE ME', permissions: [] })).toMatchObject({ status: 409, body: { errorCode: 'GH-ID-CONF-40901' } })
    expect(await create(manager, { name: null, permissions: [] })).toMatchObject({ status: 400, body: { errors: { name: expect.any(Array) } } })
    expect(await create(manager, { name: 'X', permissions: [{ permissionKey: UNKNOWN }] })).toMatchObject({ status: 400, body: { errors: { permissions: expect.any(Array) } } })
    expect(await create(manager, { name: 'X', permissions: [{ permissionKey: perm('asset.open'), environmentKeys: [qa] }] })).toMatchObject({ status: 400 })
    expect(await create(manager, { name: 'X', permissions: [{ permissionKey: perm('asset.open'), portfolioKeys: [UNKNOWN] }] })).toMatchObject({ status: 400 })
    expect(await create(manager, { name: 'X', extra: true })).toMatchObject({ status: 400 })
    expect(await create(manager, '{not json')).toMatchObject({ status: 400 })
    expect(await create(viewer, { name: 'Not allowed', permissions: [] })).toMatchObject({ status: 403, body: { errorCode: 'GH-ID-PERM-40301' } })
    expect(await create(null, { name: 'Not allowed', permissions: [] })).toMatchObject({ status: 401 })
  })

  it('lists roles by name with filters, sorting and pagination edges', async () => {
    for (const name of ['Zeta list', 'alpha list', 'Mu list']) await create(manager, { name, permissions: [] })
    const asc = (await list(viewer, '?nameContains=LIST')) as Page
    expect(asc.results.map((r) => r.name)).toEqual(['alpha list', 'Mu list', 'Zeta list'])
    expect(asc.page).toEqual({ count: 3, limit: 100, offset: 0, totalResults: 3, nextPageOffset: null, totalPages: 1 })
    const desc = (await list(viewer, '?nameContains=list&sort=-name&limit=2')) as Page
    expect(desc.results.map((r) => r.name)).toEqual(['Zeta list', 'Mu list'])
    expect(desc.page).toEqual({ count: 2, limit: 2, offset: 0, totalResults: 3, nextPageOffset: 2, totalPages: 2 })
    expect(((await list(viewer, '?nameContains=list&offset=50')) as Page).results).toEqual([])
    const one = (await list(viewer, `?roleKey=${admin}`)) as Page
    expect(one.results).toEqual([expect.objectContaining({ key: admin, name: 'Administrator', isReadOnly: true })])
    for (const query of ['?limit=0', '?limit=101', '?sort=key', '?roleKey=nope']) expect(await list(viewer, query)).toMatchObject({ status: 400 })
    expect(await list(null)).toMatchObject({ status: 401 })
    expect(await list(outsider)).toMatchObject({ status: 403 })
  })

  it('reads one role: 404 for an unknown key, 400 for a malformed one, 403 without the permission', async () => {
    expect(await read(manager, developer)).toMatchObject({ key: developer, name: 'Developer', isReadOnly: true })
    expect(await read(viewer, UNKNOWN)).toMatchObject({ status: 404 })
    expect(await read(viewer, 'nope')).toMatchObject({ status: 400 })
    expect(await read(outsider, developer)).toMatchObject({ status: 403 })
    expect(await read(null, developer)).toMatchObject({ status: 401 })
  })

  it('patches a role (204): null or absent fields stay as they are', async () => {
    const { body } = await create(manager, { name: 'Patch me', permissions: [{ permissionKey: perm('asset.open') }] })
    const key = body.orgRoleKey as string
    expect(await patch(manager, key, { name: 'Patched', permissions: null })).toEqual({ status: 204, body: null })
    expect(await read(viewer, key)).toMatchObject({ name: 'Patched', permissions: [expect.objectContaining({ permissionKey: perm('asset.open') })] })
    expect(await patch(manager, key, { name: null, permissions: [{ permissionKey: perm('asset.debug') }] })).toEqual({ status: 204, body: null })
    expect(await read(viewer, key)).toMatchObject({ name: 'Patched', permissions: [expect.objectContaining({ permissionKey: perm('asset.debug') })] })
    await create(manager, { name: 'Taken name', permissions: [] })
    expect(await patch(manager, key, { name: 'taken NAME' })).toMatchObject({ status: 409 })
    expect(await patch(manager, admin, { name: 'Boss' })).toMatchObject({ status: 409, body: { errorCode: 'GH-ID-CONF-40901' } })
    expect(await patch(manager, UNKNOWN, { name: 'Ghost' })).toMatchObject({ status: 404 })
    expect(await patch(manager, key, { name: '' })).toMatchObject({ status: 400 })
    expect(await patch(viewer, key, { name: 'Nope' })).toMatchObject({ status: 403 })
    expect(await patch(null, key, { name: 'Nope' })).toMatchObject({ status: 401 })
    expect((await read(viewer, admin)) as { name: string }).toMatchObject({ name: 'Administrator' })
  })

  it('deletes a custom role (204) and revokes its grants; built-in roles are refused (403)', async () => {
    const { body } = await create(manager, { name: 'Doomed', permissions: [{ permissionKey: perm('asset.open') }] })
    const key = body.orgRoleKey as string
    expect(await remove(viewer, key)).toMatchObject({ status: 403 })
    expect(await remove(null, key)).toMatchObject({ status: 401 })
    expect(await remove(manager, key)).toEqual({ status: 204, body: null })
    expect(await read(viewer, key)).toMatchObject({ status: 404 })
    expect(await remove(manager, key)).toMatchObject({ status: 404 })
    expect(await remove(manager, developer)).toMatchObject({ status: 403 })
    expect(await read(viewer, developer)).toMatchObject({ key: developer })
  })

  it('lists the users holding a role, each once, with search, sorting and pagination', async () => {
    const { body } = await create(manager, { name: 'Holders', permissions: [] })
    const [b, a, c] = await insertUsers([
      { name: 'Bea Holder', email: 'bea@holders.test', lastLoginAt: new Date('2025-01-02T00:00:00Z') },
      { name: 'Abe Holder', email: 'abe@holders.test', lastLoginAt: null },
      { name: 'Cy Holder', email: 'cy@holders.test', lastLoginAt: new Date('2025-01-01T00:00:00Z') },
    ])
    for (const u of [a, b, c]) await grantRoleTo(u, 'Holders')
    const key = body.orgRoleKey as string
    const all = (await users(viewer, key)) as Page
    expect(all.results.map((u) => u.key)).toEqual([a, b, c])
    expect(all.results[1]).toEqual({ key: b, name: 'Bea Holder', email: 'bea@holders.test', status: 'Active', photoUrl: null, lastLoginAt: '2025-01-02T00:00:00.000Z' })
    expect(all.page).toMatchObject({ count: 3, totalResults: 3, nextPageOffset: null })
    expect(((await users(viewer, key, '?sort=-name')) as Page).results.map((u) => u.key)).toEqual([c, b, a])
    expect(((await users(viewer, key, '?sort=lastLoginAt')) as Page).results.map((u) => u.key)).toEqual([c, b, a])
    expect(((await users(viewer, key, '?nameOrEmailContains=BEA%40')) as Page).results.map((u) => u.key)).toEqual([b])
    expect(((await users(viewer, key, '?nameOrEmailOrUsernameContains=cy')) as Page).results.map((u) => u.key)).toEqual([c])
    const page2 = (await users(viewer, key, '?limit=2&offset=2')) as Page
    expect(page2.results.map((u) => u.key)).toEqual([c])
    expect(page2.page).toEqual({ count: 1, limit: 2, offset: 2, totalResults: 3, nextPageOffset: null, totalPages: 2 })
    expect(((await users(viewer, key, '?offset=10')) as Page).results).toEqual([])
    for (const query of ['?limit=0', '?limit=101', '?sort=phone', '?embed=applicationRoles', '?embed=bogus']) expect(await users(viewer, key, query)).toMatchObject({ status: 400 })
    expect(await users(viewer, UNKNOWN)).toMatchObject({ status: 404 })
    expect(await users(outsider, key)).toMatchObject({ status: 403 })
    expect(await users(null, key)).toMatchObject({ status: 401 })
    // A user holding the role for the organization and for an app still appears once.
    await grantRoleTo(a, 'Holders', (await createApp('Holders app')).key)
    expect(((await users(viewer, key)) as Page).results.map((u) => u.key)).toEqual([a, b, c])
  })
})
