import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { groupMembers, organizations } from '@/db/schema'
import { refreshEndUserFlag } from '@/lib/access/end-user-flag'
import { insertApiClient, tokenFor, requestInit as init, keyParams } from '@/lib/api/testing'
import { createApp, createAppRole, createGroup, grantAppRole } from '@/test/access-factories'
import { expectConforms } from '@/test/contract'
import { insertUsers, stageKeyOf } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { GET as usersRoute } from './[key]/users/route'
import { GET as listRoute } from './route'

// GET /api/identity/v1/application-roles (ApplicationRole_QueryApplicationRoles) and
// /application-roles/{key}/users (ApplicationRole_QueryUsersByApplicationRole).

const BASE = 'http://localhost:3000/api/identity/v1/application-roles'
const UNKNOWN = '00000000-0000-4000-8000-000000000000'
type Page = { results: Array<Record<string, unknown> & { key: string }>; page: Record<string, number | null> }
type Problem = { status: number; errorCode: string; errors?: Record<string, string[]> }


describe('/api/identity/v1/application-roles', () => {
  useTestDatabase()
  const t: Record<'viewer' | 'devViewer' | 'outsider', string> = { viewer: '', devViewer: '', outsider: '' }
  const stage: Record<'DEV' | 'QA' | 'PRD', string> = { DEV: '', QA: '', PRD: '' }
  let shop: { key: string; stages: Map<string, string> }
  let blog: { key: string; stages: Map<string, string> }
  let buyer: { key: string; instances: Map<string, string> }
  let admin: { key: string; instances: Map<string, string> }
  let editor: { key: string; instances: Map<string, string> }

  beforeAll(async () => {
    await setupOrganization()
    // Well over the 100 requests a minute this file sends; the limit has its own tests.
    await (await getDb()).update(organizations).set({ apiRateLimit: 10_000 })
    t.viewer = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.view' }] }))
    t.devViewer = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.view', stages: ['DEV'] }] }))
    t.outsider = await tokenFor(await insertApiClient({ permissions: [{ slug: 'users.view_members' }] }))
    for (const code of ['DEV', 'QA', 'PRD'] as const) stage[code] = await stageKeyOf(code)
    shop = await createApp('Shop')
    blog = await createApp('Blog', ['DEV', 'PRD'])
    buyer = await createAppRole(shop.key, 'Buyer')
    admin = await createAppRole(shop.key, 'admin')
    editor = await createAppRole(blog.key, 'Editor')
  })

  const list = async (query = '', token: string | null = t.viewer) => (await expectConforms('ApplicationRole_QueryApplicationRoles', await listRoute(new Request(`${BASE}${query}`, init(token)), { params: Promise.resolve({}) }))) as Page & Problem
  const holders = async (key: string, query = '', token: string | null = t.viewer) =>
    (await expectConforms('ApplicationRole_QueryUsersByApplicationRole', await usersRoute(new Request(`${BASE}/${key}/users${query}`, init(token)), keyParams(key)))) as Page & Problem
  /**
   * The contract declares no 400 for the holders list, but a bad parameter can only be one (REST-3).
   * Its body is the same ProblemDetails the role list declares for its 400.
   */
  const holdersRefused = async (key: string, query: string) => {
    const response = await usersRoute(new Request(`${BASE}/${key}/users${query}`, init(t.viewer)), keyParams(key))
    await expect(expectConforms('ApplicationRole_QueryUsersByApplicationRole', response.clone())).rejects.toThrow(/does not declare status 400/)
    return (await expectConforms('ApplicationRole_QueryApplicationRoles', response)) as Problem
  }
  const keys = (p: Page) => p.results.map((r) => r.key)

  it('lists each app role once per stage, in ODC’s shape, by name and stage order', async () => {
    const all = await list()
    const inOrder = [...['DEV', 'QA', 'PRD'].map((c) => admin.instances.get(c)), ...['DEV', 'QA', 'PRD'].map((c) => buyer.instances.get(c)), ...['DEV', 'PRD'].map((c) => editor.instances.get(c))]
    expect(keys(all)).toEqual(inOrder)
    expect(all.page).toEqual({ count: 8, limit: 100, offset: 0, totalResults: 8, nextPageOffset: null, totalPages: 1 })
    expect(all.results.find((r) => r.key === buyer.instances.get('QA'))).toEqual({
      key: buyer.instances.get('QA'),
      name: 'Buyer',
      environmentKey: stage.QA,
      assetKey: shop.key,
      externalKey: buyer.key,
      claim: 'Buyer',
    })
    expect(keys(await list('?sort=-name'))).toEqual([...inOrder].reverse())
  })

  it('filters by key, app, stages, name and portfolio', async () => {
    expect(keys(await list(`?key=${buyer.instances.get('PRD')}`))).toEqual([buyer.instances.get('PRD')])
    expect(keys(await list(`?assetKey=${blog.key}`))).toEqual([editor.instances.get('DEV'), editor.instances.get('PRD')])
    expect(keys(await list(`?environmentKey=${stage.QA}`))).toEqual([admin.instances.get('QA'), buyer.instances.get('QA')])
    const qaAndPrd = [admin.instances.get('QA'), admin.instances.get('PRD'), buyer.instances.get('QA'), buyer.instances.get('PRD'), editor.instances.get('PRD')]
    expect(keys(await list(`?environmentKeys=${stage.QA},${stage.PRD}`))).toEqual(qaAndPrd)
    expect(keys(await list(`?environmentKeys=${stage.QA}&environmentKeys=${stage.PRD}`))).toEqual(qaAndPrd)
    expect(keys(await list(`?nameContains=UYE&assetKey=${shop.key}&environmentKey=${stage.DEV}`))).toEqual([buyer.instances.get('DEV')])
    // Gatehouse's single portfolio has no key a client could send: any other portfolio has no roles.
    expect(await list(`?portfolioKeys=${UNKNOWN}`)).toMatchObject({ results: [], page: { totalResults: 0 } })
  })

  it('sorts by environment and app keys both ways', async () => {
    const byStage = (await list('?sort=environmentKey')).results.map((r) => r.environmentKey as string)
    expect(byStage).toEqual([...byStage].sort())
    expect((await list('?sort=-environmentKey')).results.map((r) => r.environmentKey)).toEqual([...byStage].reverse())
    const byApp = (await list('?sort=assetKey')).results.map((r) => r.assetKey as string)
    expect(byApp).toEqual([...byApp].sort())
    expect((await list('?sort=-assetKey')).results.map((r) => r.assetKey)).toEqual([...byApp].reverse())
  })

  it('pages with offset and limit, and refuses bad parameters (400)', async () => {
    const first = await list('?limit=3')
    expect(first.page).toEqual({ count: 3, limit: 3, offset: 0, totalResults: 8, nextPageOffset: 3, totalPages: 3 })
    const last = await list('?limit=3&offset=6')
    expect(last.page).toEqual({ count: 2, limit: 3, offset: 6, totalResults: 8, nextPageOffset: null, totalPages: 3 })
    expect(await list('?offset=50')).toMatchObject({ results: [], page: { count: 0, totalResults: 8, nextPageOffset: null } })
    for (const query of ['?limit=0', '?limit=101', '?offset=-1', '?sort=claim', '?key=nope', '?environmentKeys=nope', `?environmentKey=${stage.DEV}&environmentKeys=${stage.QA}`])
      expect(await list(query)).toMatchObject({ status: 400, errorCode: 'GH-ID-VAL-40001' })
  })

  it('shows only the stages where the caller may view end-users; 401 without a token, 403 without the permission', async () => {
    expect(keys(await list('', t.devViewer))).toEqual([admin.instances.get('DEV'), buyer.instances.get('DEV'), editor.instances.get('DEV')])
    expect(await list(`?environmentKey=${stage.PRD}`, t.devViewer)).toMatchObject({ results: [], page: { totalResults: 0 } })
    expect(await list('', null)).toMatchObject({ status: 401 })
    expect(await list('', t.outsider)).toMatchObject({ status: 403, errorCode: 'GH-ID-PERM-40301' })
  })

  describe('holders of a role', () => {
    const u: Record<string, string> = {}
    let dev: string

    beforeAll(async () => {
      dev = buyer.instances.get('DEV')!
      const at = (day: number) => new Date(Date.UTC(2025, 0, day))
      const [anna, bob, carla, dan, eve] = await insertUsers([
        { name: 'Anna Direct', email: 'anna@holders.test', lastLoginAt: at(5) },
        { name: 'Bob Assigned', email: 'bob@holders.test', lastLoginAt: at(1), status: 'Inactive' },
        { name: 'Carla Mapped', email: 'carla@other.test', lastLoginAt: null },
        { name: 'Dan Both', email: 'dan@holders.test', lastLoginAt: at(3), status: 'Invited' },
        { name: 'Eve Elsewhere', email: 'eve@holders.test' },
      ])
      Object.assign(u, { anna, bob, carla, dan, eve })
      await grantAppRole(anna, [dev, editor.instances.get('PRD')!])
      await grantAppRole(dan, [dev])
      await grantAppRole(eve, [buyer.instances.get('PRD')!])
      const group = await createGroup('Dev buyers', 'DEV', { instanceKeys: [dev], userKeys: [bob, dan] })
      const db = await getDb()
      await db.insert(groupMembers).values({ groupKey: group, userKey: carla, type: 'Mapped' })
      await refreshEndUserFlag(db, [carla])
    })

    it('lists every holder once, directly or through a group, in ODC’s shape', async () => {
      const all = await holders(dev)
      expect(keys(all)).toEqual([u.anna, u.bob, u.carla, u.dan])
      expect(all.results[0]).toEqual({ key: u.anna, name: 'Anna Direct', email: 'anna@holders.test', status: 'Active', photoUrl: null, lastLoginAt: '2025-01-05T00:00:00.000Z' })
      expect(all.page).toEqual({ count: 4, limit: 100, offset: 0, totalResults: 4, nextPageOffset: null, totalPages: 1 })
      expect(keys(await holders(buyer.instances.get('PRD')!))).toEqual([u.eve])
      expect(keys(await holders(buyer.instances.get('QA')!))).toEqual([])
    })

    it('sorts by each field both ways, never-signed-in users last', async () => {
      expect(keys(await holders(dev, '?sort=-name'))).toEqual([u.dan, u.carla, u.bob, u.anna])
      expect(keys(await holders(dev, '?sort=lastLoginAt'))).toEqual([u.bob, u.dan, u.anna, u.carla])
      expect(keys(await holders(dev, '?sort=-lastLoginAt'))).toEqual([u.anna, u.dan, u.bob, u.carla])
      expect(keys(await holders(dev, '?sort=email'))).toEqual([u.anna, u.bob, u.carla, u.dan])
      expect(keys(await holders(dev, '?sort=-email'))).toEqual([u.dan, u.carla, u.bob, u.anna])
      const statuses = (await holders(dev, '?sort=status')).results.map((r) => r.status as string)
      expect(statuses).toEqual([...statuses].sort())
      expect((await holders(dev, '?sort=-status')).results.map((r) => r.status)).toEqual([...statuses].reverse())
      const byKey = [u.anna, u.bob, u.carla, u.dan].sort()
      expect(keys(await holders(dev, '?sort=userKey'))).toEqual(byKey)
      expect(keys(await holders(dev, '?sort=-userKey'))).toEqual([...byKey].reverse())
    })

    it('filters by user, name or email, and last sign-in', async () => {
      expect(keys(await holders(dev, `?userKey=${u.bob}`))).toEqual([u.bob])
      expect(keys(await holders(dev, `?userKey=${u.eve}`))).toEqual([])
      expect(keys(await holders(dev, '?nameOrEmailContains=OTHER.TEST'))).toEqual([u.carla])
      expect(keys(await holders(dev, '?nameOrEmailOrUsernameContains=both'))).toEqual([u.dan])
      expect(keys(await holders(dev, '?lastLoginAtSince=2025-01-03T00:00:00Z'))).toEqual([u.anna, u.dan])
      expect(keys(await holders(dev, '?lastLoginAtTo=2025-01-03T00:00:00Z'))).toEqual([u.bob, u.dan])
    })

    it('embeds each holder’s application roles where the caller may view end-users', async () => {
      const full = await holders(dev, `?userKey=${u.anna}&embed=applicationRoles,userIdentityProviders`)
      expect(full.results[0]._embedded).toEqual({
        applicationRoles: [
          { key: dev, name: 'Buyer', environmentKey: stage.DEV, assetKey: shop.key, externalKey: buyer.key, claim: 'Buyer' },
          { key: editor.instances.get('PRD'), name: 'Editor', environmentKey: stage.PRD, assetKey: blog.key, externalKey: editor.key, claim: 'Editor' },
        ],
        userIdentityProviders: [],
      })
      const devOnly = await holders(dev, `?userKey=${u.anna}&embed=ApplicationRoles`, t.devViewer)
      expect(devOnly.results[0]._embedded).toEqual({ applicationRoles: [expect.objectContaining({ key: dev })] })
      // Through a group, Mapped as well as Assigned.
      expect((await holders(dev, `?userKey=${u.carla}&embed=applicationRoles`)).results[0]._embedded).toEqual({ applicationRoles: [expect.objectContaining({ key: dev })] })
      expect((await holders(dev, `?userKey=${u.carla}`)).results[0]).not.toHaveProperty('_embedded')
    })

    it('pages, and refuses bad parameters, unknown roles, callers without the permission in the role’s stage', async () => {
      const second = await holders(dev, '?limit=3&offset=3')
      expect(keys(second)).toEqual([u.dan])
      expect(second.page).toEqual({ count: 1, limit: 3, offset: 3, totalResults: 4, nextPageOffset: null, totalPages: 2 })
      expect(await holders(dev, '?offset=10')).toMatchObject({ results: [], page: { count: 0, totalResults: 4, nextPageOffset: null } })
      for (const query of ['?limit=0', '?limit=101', '?sort=phone', '?embed=roles', '?userKey=nope', '?lastLoginAtSince=yesterday'])
        expect(await holdersRefused(dev, query)).toMatchObject({ status: 400, errorCode: 'GH-ID-VAL-40001' })
      expect(await holdersRefused('nope', '')).toMatchObject({ status: 400, errors: { key: expect.any(Array) } })
      expect(await holders(UNKNOWN)).toMatchObject({ status: 404 })
      expect(keys(await holders(dev, '', t.devViewer))).toEqual([u.anna, u.bob, u.carla, u.dan])
      expect(await holders(buyer.instances.get('PRD')!, '', t.devViewer)).toMatchObject({ status: 403 })
      expect(await holders(dev, '', t.outsider)).toMatchObject({ status: 403 })
      expect(await holders(dev, '', null)).toMatchObject({ status: 401 })
    })
  })
})
