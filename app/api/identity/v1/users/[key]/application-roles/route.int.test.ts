import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { groupMembers, organizations } from '@/db/schema'
import { refreshEndUserFlag } from '@/lib/access/end-user-flag'
import { insertApiClient, type TestApiClient, tokenFor, requestInit as init, keyParams } from '@/lib/api/testing'
import { accessSnapshot, createApp, createAppRole, createGroup, grantAppRole } from '@/test/access-factories'
import { expectConforms } from '@/test/contract'
import { auditRows, insertUsers, stageKeyOf } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { DELETE as revokeRoute, POST as grantRoute } from './[roleKey]/route'
import { GET as listRoute } from './route'

// GET /api/identity/v1/users/{key}/application-roles (UserApplicationRoles_QueryUserApplicationRoles)
// and POST/DELETE …/application-roles/{roleKey} (_GrantApplicationRoleToUser, _RevokeApplicationRoleForUser).

const BASE = 'http://localhost:3000/api/identity/v1/users'
const UNKNOWN = '00000000-0000-4000-8000-000000000000'
type Role = { key: string; name: string; environmentKey: string; isDirectlyAssigned: boolean; assignedGroups: Array<{ key: string; name: string; membershipType: string }> }
type Page = { results: Role[]; page: Record<string, number | null> }
type Problem = { status: number; errorCode: string; errors?: Record<string, string[]> }


describe('/api/identity/v1/users/{key}/application-roles', () => {
  useTestDatabase()
  const t: Record<'viewer' | 'devViewer' | 'usersManager' | 'manager' | 'devManager' | 'outsider', string> = { viewer: '', devViewer: '', usersManager: '', manager: '', devManager: '', outsider: '' }
  let managerClient: TestApiClient
  const stage: Record<'DEV' | 'QA' | 'PRD', string> = { DEV: '', QA: '', PRD: '' }
  let shop: { key: string; stages: Map<string, string> }
  let blog: { key: string; stages: Map<string, string> }
  let buyer: { key: string; instances: Map<string, string> }
  let seller: { key: string; instances: Map<string, string> }
  let editor: { key: string; instances: Map<string, string> }
  let user: string
  const g: Record<'devTeam' | 'prdMapped' | 'both', string> = { devTeam: '', prdMapped: '', both: '' }

  beforeAll(async () => {
    await setupOrganization()
    // Well over the 100 requests a minute this file sends; the limit has its own tests.
    await (await getDb()).update(organizations).set({ apiRateLimit: 10_000 })
    managerClient = await insertApiClient({ permissions: [{ slug: 'endusers.manage_access' }] })
    t.manager = await tokenFor(managerClient)
    t.viewer = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.view' }] }))
    t.devViewer = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.view', stages: ['DEV'] }] }))
    t.usersManager = await tokenFor(await insertApiClient({ permissions: [{ slug: 'users.manage' }] }))
    t.devManager = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.manage_access', stages: ['DEV'] }] }))
    t.outsider = await tokenFor(await insertApiClient({ permissions: [{ slug: 'users.view_members' }] }))
    for (const code of ['DEV', 'QA', 'PRD'] as const) stage[code] = await stageKeyOf(code)
    shop = await createApp('Shop')
    blog = await createApp('Blog', ['DEV', 'PRD'])
    buyer = await createAppRole(shop.key, 'Buyer')
    seller = await createAppRole(shop.key, 'Seller')
    editor = await createAppRole(blog.key, 'Editor')
    ;[user] = await insertUsers([{ name: 'Holly Holder', email: 'holly@roles.test' }])
    await grantAppRole(user, [buyer.instances.get('DEV')!, buyer.instances.get('PRD')!])
    g.devTeam = await createGroup('Dev team', 'DEV', { instanceKeys: [buyer.instances.get('DEV')!, seller.instances.get('DEV')!], userKeys: [user] })
    g.both = await createGroup('Assigned and mapped', 'DEV', { instanceKeys: [seller.instances.get('DEV')!], userKeys: [user] })
    g.prdMapped = await createGroup('Prod editors', 'PRD', { instanceKeys: [editor.instances.get('PRD')!] })
    const db = await getDb()
    await db.insert(groupMembers).values([
      { groupKey: g.prdMapped, userKey: user, type: 'Mapped' },
      { groupKey: g.both, userKey: user, type: 'Mapped' },
    ])
    await refreshEndUserFlag(db, [user])
  })

  const list = async (key: string, query = '', token: string | null = t.viewer) =>
    (await expectConforms('UserApplicationRoles_QueryUserApplicationRoles', await listRoute(new Request(`${BASE}/${key}/application-roles${query}`, init(token)), keyParams(key)))) as Page & Problem
  const call = async (method: 'POST' | 'DELETE', key: string, roleKey: string, token: string | null = t.manager) => {
    const route = method === 'POST' ? grantRoute : revokeRoute
    const response = await route(new Request(`${BASE}/${key}/application-roles/${roleKey}`, init(token, method)), { params: Promise.resolve({ key, roleKey }) })
    const status = response.status
    const body = (await expectConforms(method === 'POST' ? 'UserApplicationRoles_GrantApplicationRoleToUser' : 'UserApplicationRoles_RevokeApplicationRoleForUser', response)) as Problem | null
    return { status, body }
  }
  const keys = (p: Page) => p.results.map((r) => r.key)
  const all = '?assignmentSources=Direct,GroupAssigned,GroupMapped'

  it('lists direct grants by default, in ODC’s shape, telling only of the direct source', async () => {
    const direct = await list(user)
    expect(keys(direct)).toEqual([buyer.instances.get('DEV'), buyer.instances.get('PRD')])
    expect(direct.results[0]).toEqual({
      key: buyer.instances.get('DEV'),
      name: 'Buyer',
      environmentKey: stage.DEV,
      assetKey: shop.key,
      externalKey: buyer.key,
      claim: 'Buyer',
      isDirectlyAssigned: true,
      assignedGroups: [],
    })
    expect(direct.page).toEqual({ count: 2, limit: 100, offset: 0, totalResults: 2, nextPageOffset: null, totalPages: 1 })
    expect(keys(await list(user, '?assignmentSources='))).toEqual(keys(direct))
  })

  it('with every source lists each role once, with every way the user holds it', async () => {
    const every = await list(user, all)
    expect(keys(every)).toEqual([buyer.instances.get('DEV'), buyer.instances.get('PRD'), editor.instances.get('PRD'), seller.instances.get('DEV')])
    const [buyerDev, buyerPrd, editorPrd, sellerDev] = every.results
    expect(buyerDev).toMatchObject({ isDirectlyAssigned: true, assignedGroups: [{ key: g.devTeam, name: 'Dev team', membershipType: 'Assigned' }] })
    expect(buyerPrd).toMatchObject({ isDirectlyAssigned: true, assignedGroups: [] })
    expect(editorPrd).toMatchObject({ isDirectlyAssigned: false, assignedGroups: [{ key: g.prdMapped, name: 'Prod editors', membershipType: 'Mapped' }] })
    expect(sellerDev.assignedGroups).toEqual([
      { key: g.both, name: 'Assigned and mapped', membershipType: 'Assigned' },
      { key: g.both, name: 'Assigned and mapped', membershipType: 'Mapped' },
      { key: g.devTeam, name: 'Dev team', membershipType: 'Assigned' },
    ])
    // Only mapped memberships, sent as repeated parameters in any case.
    const mapped = await list(user, '?assignmentSources=groupMapped')
    expect(keys(mapped)).toEqual([editor.instances.get('PRD'), seller.instances.get('DEV')])
    expect(mapped.results[1]).toMatchObject({ isDirectlyAssigned: false, assignedGroups: [{ key: g.both, membershipType: 'Mapped' }] })
    expect(keys(await list(user, '?assignmentSources=GroupAssigned&assignmentSources=Direct'))).toEqual([buyer.instances.get('DEV'), buyer.instances.get('PRD'), seller.instances.get('DEV')])
  })

  it('filters by group, app, stage, role key, name and portfolio', async () => {
    // Roles inherited from a group: its group sources unless others are named.
    const fromTeam = await list(user, `?groupKeys=${g.devTeam}`)
    expect(keys(fromTeam)).toEqual([buyer.instances.get('DEV'), seller.instances.get('DEV')])
    expect(fromTeam.results[0]).toMatchObject({ isDirectlyAssigned: false, assignedGroups: [{ key: g.devTeam }] })
    expect(keys(await list(user, `?groupKeys=${g.devTeam}&assignmentSources=Direct`))).toEqual([])
    expect(keys(await list(user, `?groupKeys=${g.both}&assignmentSources=GroupMapped`))).toEqual([seller.instances.get('DEV')])
    expect(keys(await list(user, `${all}&assetKey=${blog.key}`))).toEqual([editor.instances.get('PRD')])
    expect(keys(await list(user, `${all}&assetKeys=${blog.key},${shop.key}&environmentKey=${stage.PRD}`))).toEqual([buyer.instances.get('PRD'), editor.instances.get('PRD')])
    expect(keys(await list(user, `${all}&environmentKeys=${stage.DEV}&environmentKeys=${stage.QA}`))).toEqual([buyer.instances.get('DEV'), seller.instances.get('DEV')])
    expect(keys(await list(user, `${all}&applicationRoleKeys=${seller.instances.get('DEV')},${seller.instances.get('QA')}`))).toEqual([seller.instances.get('DEV')])
    expect(keys(await list(user, `${all}&nameContains=EDIT`))).toEqual([editor.instances.get('PRD')])
    expect(keys(await list(user, `${all}&portfolioKeys=${UNKNOWN}`))).toEqual([])
  })

  it('sorts both ways and pages', async () => {
    const byName = keys(await list(user, all))
    expect(keys(await list(user, `${all}&sort=-name`))).toEqual([...byName].reverse())
    const stages = (await list(user, `${all}&sort=environmentKey`)).results.map((r) => r.environmentKey)
    expect(stages).toEqual([...stages].sort())
    expect((await list(user, `${all}&sort=-assetKey`)).results.map((r) => (r as unknown as { assetKey: string }).assetKey)).toEqual(
      [shop.key, shop.key, blog.key, shop.key].sort().reverse(),
    )
    const second = await list(user, `${all}&limit=3&offset=3`)
    expect(keys(second)).toEqual([seller.instances.get('DEV')])
    expect(second.page).toEqual({ count: 1, limit: 3, offset: 3, totalResults: 4, nextPageOffset: null, totalPages: 2 })
    expect((await list(user, `${all}&limit=3`)).page).toMatchObject({ count: 3, nextPageOffset: 3 })
    expect(await list(user, `${all}&offset=9`)).toMatchObject({ results: [], page: { count: 0, totalResults: 4, nextPageOffset: null } })
  })

  it('refuses bad parameters (400), unknown or invisible users (404), callers without the permission (403, 401)', async () => {
    for (const query of ['?limit=0', '?limit=101', '?sort=claim', '?assignmentSources=Group', '?groupKeys=nope', `?assetKey=${shop.key}&assetKeys=${blog.key}`, `?environmentKey=${stage.DEV}&environmentKeys=${stage.QA}`])
      expect(await list(user, query)).toMatchObject({ status: 400, errorCode: 'GH-ID-VAL-40001' })
    expect(await list('nope')).toMatchObject({ status: 400, errors: { key: expect.any(Array) } })
    expect(await list(UNKNOWN)).toMatchObject({ status: 404 })
    // A limited viewer sees the roles of its stages only, and not at all a user with none there.
    expect(keys(await list(user, all, t.devViewer))).toEqual([buyer.instances.get('DEV'), seller.instances.get('DEV')])
    const [prdOnly, nobody] = await insertUsers([{ name: 'Prd Only' }, { name: 'No Roles' }])
    await grantAppRole(prdOnly, [buyer.instances.get('PRD')!])
    expect(await list(prdOnly, '', t.devViewer)).toMatchObject({ status: 404 })
    expect(keys(await list(prdOnly, '', t.viewer))).toEqual([buyer.instances.get('PRD')])
    // A user with no role is not an end-user: only those who manage users see them.
    expect(await list(nobody, '', t.viewer)).toMatchObject({ status: 404 })
    expect(await list(nobody, '', t.usersManager)).toMatchObject({ results: [], page: { totalResults: 0 } })
    expect(await list(user, '', t.outsider)).toMatchObject({ status: 403, errorCode: 'GH-ID-PERM-40301' })
    expect(await list(user, '', null)).toMatchObject({ status: 401 })
  })

  it('grants a role directly (201, no body), once, with an audit event by the API client', async () => {
    const [fresh] = await insertUsers([{ name: 'Fresh Start', email: 'fresh@roles.test' }])
    const qa = buyer.instances.get('QA')!
    expect(await call('POST', fresh, qa)).toEqual({ status: 201, body: null })
    expect(await list(fresh)).toMatchObject({ results: [{ key: qa, isDirectlyAssigned: true }] })
    const [event] = await auditRows('enduser.roles_changed', fresh)
    expect(event).toMatchObject({ actorType: 'api_client', actorKey: managerClient.key, changes: { added: ['Shop · Buyer (QA)'], removed: [] } })
    expect(await call('POST', fresh, qa)).toEqual({ status: 201, body: null })
    expect(await auditRows('enduser.roles_changed', fresh)).toHaveLength(1)
  })

  it('refuses grants outside the caller’s stages (403), for unknown (404) or malformed (400) keys, without a token (401), changing nothing', async () => {
    const [target] = await insertUsers([{ name: 'Not Changed' }])
    const prd = buyer.instances.get('PRD')!
    const before = await accessSnapshot()
    expect(await call('POST', target, prd, t.devManager)).toMatchObject({ status: 403, body: { errorCode: 'GH-ID-PERM-40301' } })
    expect(await call('POST', target, prd, t.viewer)).toMatchObject({ status: 403 })
    expect(await call('POST', target, UNKNOWN)).toMatchObject({ status: 404, body: { detail: expect.stringMatching(/application role/) } })
    expect(await call('POST', UNKNOWN, prd)).toMatchObject({ status: 404, body: { detail: expect.stringMatching(/user/) } })
    expect(await call('POST', 'nope', prd)).toMatchObject({ status: 400, body: { errors: { key: expect.any(Array) } } })
    expect(await call('POST', target, 'nope')).toMatchObject({ status: 400, body: { errors: { roleKey: expect.any(Array) } } })
    expect(await call('POST', target, prd, null)).toMatchObject({ status: 401 })
    expect(await accessSnapshot()).toEqual(before)
    expect(await call('POST', target, buyer.instances.get('DEV')!, t.devManager)).toEqual({ status: 201, body: null })
  })

  it('revokes the direct grant (204); the role through a group stays; revoking again changes nothing', async () => {
    const [member] = await insertUsers([{ name: 'Gina Group' }])
    const dev = seller.instances.get('DEV')!
    await call('POST', member, dev)
    const db = await getDb()
    await db.insert(groupMembers).values({ groupKey: g.devTeam, userKey: member })
    expect(await call('DELETE', member, dev)).toEqual({ status: 204, body: null })
    expect(await list(member)).toMatchObject({ results: [] })
    expect(await list(member, `${all}&nameContains=seller`)).toMatchObject({ results: [{ key: dev, isDirectlyAssigned: false, assignedGroups: [{ key: g.devTeam }] }] })
    const events = await auditRows('enduser.roles_changed', member)
    expect(events.map((e) => e.changes)).toEqual([expect.objectContaining({ added: ['Shop · Seller (DEV)'] }), expect.objectContaining({ removed: ['Shop · Seller (DEV)'] })])
    expect(await call('DELETE', member, dev)).toEqual({ status: 204, body: null })
    expect(await auditRows('enduser.roles_changed', member)).toHaveLength(2)
  })

  it('refuses revocations outside the caller’s stages (403), for unknown (404) or malformed (400) keys, without a token (401)', async () => {
    const prd = buyer.instances.get('PRD')!
    const before = await accessSnapshot()
    expect(await call('DELETE', user, prd, t.devManager)).toMatchObject({ status: 403 })
    expect(await call('DELETE', user, UNKNOWN)).toMatchObject({ status: 404 })
    expect(await call('DELETE', UNKNOWN, prd)).toMatchObject({ status: 404 })
    expect(await call('DELETE', user, 'nope')).toMatchObject({ status: 400 })
    expect(await call('DELETE', user, prd, null)).toMatchObject({ status: 401 })
    expect(await accessSnapshot()).toEqual(before)
    expect(keys(await list(user))).toContain(prd)
  })
})
