import { beforeAll, describe, expect, it } from 'vitest'
import { insertApiClient, tokenFor } from '@/lib/api/testing'
import { permissionDefs, permissionsBySlug } from '@/lib/authz/catalogue'
import { expectConforms } from '@/test/contract'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { GET as readPermission } from './[key]/route'
import { GET as queryPermissions } from './route'

const BASE = 'http://localhost:3000/api/identity/v1/permissions'
type Body = { results: Array<Record<string, unknown>>; page: Record<string, unknown> }

const headers = (token: string | null): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {})
const list = async (token: string | null, query = '') =>
  expectConforms('Permission_QueryPermissions', await queryPermissions(new Request(`${BASE}${query}`, { headers: headers(token) }), { params: Promise.resolve({}) }))
const read = async (token: string | null, key: string) =>
  expectConforms('Permission_ReadPermission', await readPermission(new Request(`${BASE}/${key}`, { headers: headers(token) }), { params: Promise.resolve({ key }) }))

describe('GET /api/identity/v1/permissions and /permissions/{key}', () => {
  useTestDatabase()
  let token: string
  let noPermissions: string
  beforeAll(async () => {
    await setupOrganization()
    token = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.view', stages: ['QA'] }] }))
    noPermissions = await tokenFor(await insertApiClient())
  })

  it('lists the whole registry in registry order with its fixed keys and ODC shape', async () => {
    const body = (await list(token)) as Body
    expect(body.page).toEqual({ count: permissionDefs.length, limit: 100, offset: 0, totalResults: permissionDefs.length, nextPageOffset: null, totalPages: 1 })
    expect(body.results.map((p) => p.key)).toEqual(permissionDefs.map((p) => p.key))
    const create = body.results.find((p) => p.key === permissionsBySlug.get('asset.create')!.key)
    expect(create).toEqual({
      key: '5e0c0e87-9ed4-5eaf-b0d5-36cf324e4c31',
      name: 'Create',
      category: 'Asset management',
      purpose: 'Create new apps.',
      visibility: 'Public',
      inherits: [{ key: permissionsBySlug.get('asset.open')!.key, realmStages: ['SAME_STAGE'], realmPortfolio: null }],
      allowStages: false,
      allowPortfolios: false,
      allowedScopes: ['Organization'],
      claimName: 'asset.create',
      remarks: null,
    })
  })

  it('pages with offset and limit, and past the end answers an empty page', async () => {
    const total = permissionDefs.length
    const first = (await list(token, '?limit=2')) as Body
    expect(first.results.map((p) => p.key)).toEqual(permissionDefs.slice(0, 2).map((p) => p.key))
    expect(first.page).toEqual({ count: 2, limit: 2, offset: 0, totalResults: total, nextPageOffset: 2, totalPages: Math.ceil(total / 2) })
    const second = (await list(token, '?limit=2&offset=2')) as Body
    expect(second.results.map((p) => p.key)).toEqual(permissionDefs.slice(2, 4).map((p) => p.key))
    const last = (await list(token, `?limit=2&offset=${total - 1}`)) as Body
    expect(last.page).toMatchObject({ count: 1, nextPageOffset: null })
    const past = (await list(token, '?offset=1000')) as Body
    expect(past.results).toEqual([])
    expect(past.page).toEqual({ count: 0, limit: 100, offset: 1000, totalResults: total, nextPageOffset: null, totalPages: 1 })
  })

  it('filters by nameContains, case-insensitively', async () => {
    const body = (await list(token, '?nameContains=DEBUG')) as Body
    expect(body.results.length).toBeGreaterThan(0)
    for (const p of body.results) expect(String(p.name).toLowerCase()).toContain('debug')
    expect(((await list(token, '?nameContains=no-such-permission')) as Body).results).toEqual([])
  })

  it('refuses limit 0, limit 101 and a negative offset with 400', async () => {
    for (const query of ['?limit=0', '?limit=101', '?offset=-1', '?limit=abc']) {
      const body = (await list(token, query)) as { status: number; errorCode: string }
      expect(body).toMatchObject({ status: 400, errorCode: 'GH-ID-VAL-40001' })
    }
  })

  it('reads one permission by key; an unknown key is 404 and a malformed one 400', async () => {
    const key = permissionsBySlug.get('users.manage_roles')!.key
    expect(await read(token, key)).toMatchObject({ key, name: expect.any(String), category: 'User and access management' })
    expect(await read(token, '00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 404, errorCode: 'GH-ID-NF-40401' })
    expect(await read(token, 'not-a-key')).toMatchObject({ status: 400 })
  })

  it('no token: 401; a client holding no permission: 403', async () => {
    expect(await list(null)).toMatchObject({ status: 401, errorCode: 'GH-ID-AUTH-40101' })
    expect(await read(null, permissionDefs[0].key)).toMatchObject({ status: 401 })
    expect(await list(noPermissions)).toMatchObject({ status: 403, errorCode: 'GH-ID-PERM-40301' })
    expect(await read(noPermissions, permissionDefs[0].key)).toMatchObject({ status: 403 })
  })
})
