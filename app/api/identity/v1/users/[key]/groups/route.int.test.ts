import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { groupMembers, groups, organizations } from '@/db/schema'
import { insertApiClient, tokenFor } from '@/lib/api/testing'
import { createApp, createAppRole, createGroup } from '@/test/access-factories'
import { expectConforms } from '@/test/contract'
import { insertUsers, stageKeyOf } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { GET as listRoute } from './route'

// GET /api/identity/v1/users/{key}/groups (UserProfile_QueryGroupsByUser).

const BASE = 'http://localhost:3000/api/identity/v1/users'
const UNKNOWN = '00000000-0000-4000-8000-000000000000'
type Entry = { membershipTypes: string[]; group: { key: string; name: string; description: string | null; environmentKey: string; updatedAt: string; groupIdpClaimMappings: unknown[] } }
type Page = { results: Entry[]; page: Record<string, number | null> }
type Problem = { status: number; errorCode: string; errors?: Record<string, string[]> }

describe('/api/identity/v1/users/{key}/groups', () => {
  useTestDatabase()
  const t: Record<'manager' | 'devManager' | 'viewer', string> = { manager: '', devManager: '', viewer: '' }
  const stage: Record<'DEV' | 'QA' | 'PRD', string> = { DEV: '', QA: '', PRD: '' }
  const g: Record<'alpha' | 'beta' | 'gamma' | 'delta', string> = { alpha: '', beta: '', gamma: '', delta: '' }
  let shop: string
  let user: string

  beforeAll(async () => {
    await setupOrganization()
    const db = await getDb()
    // Well over the 100 requests a minute this file sends; the limit has its own tests.
    await db.update(organizations).set({ apiRateLimit: 10_000 })
    t.manager = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.manage_groups' }] }))
    t.devManager = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.manage_groups', stages: ['DEV'] }] }))
    t.viewer = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.view' }] }))
    for (const code of ['DEV', 'QA', 'PRD'] as const) stage[code] = await stageKeyOf(code)
    shop = (await createApp('Shop')).key
    const blog = (await createApp('Blog')).key
    const buyer = await createAppRole(shop, 'Buyer')
    const editor = await createAppRole(blog, 'Editor')
    ;[user] = await insertUsers([{ name: 'Greta Groups' }])
    g.alpha = await createGroup('alpha dev', 'DEV', { instanceKeys: [buyer.instances.get('DEV')!], userKeys: [user] })
    g.beta = await createGroup('Beta qa', 'QA')
    g.gamma = await createGroup('Gamma dev', 'DEV', { instanceKeys: [editor.instances.get('DEV')!], userKeys: [user] })
    g.delta = await createGroup('delta prd', 'PRD', { userKeys: [user] })
    await db.insert(groupMembers).values([
      { groupKey: g.beta, userKey: user, type: 'Mapped' },
      { groupKey: g.gamma, userKey: user, type: 'Mapped' },
    ])
    await db.update(groups).set({ description: 'Testers of the shop' }).where(eq(groups.key, g.alpha))
  })

  const list = async (key: string, query = '', token: string | null = t.manager) =>
    (await expectConforms('UserProfile_QueryGroupsByUser', await listRoute(new Request(`${BASE}/${key}/groups${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }), { params: Promise.resolve({ key }) }))) as Page & Problem
  const keys = (p: Page) => p.results.map((r) => r.group.key)

  it('lists the user’s groups by name, in ODC’s shape, with every way the user is in each', async () => {
    const all = await list(user)
    expect(keys(all)).toEqual([g.alpha, g.beta, g.delta, g.gamma])
    const [alpha, beta] = all.results
    expect(alpha).toEqual({
      membershipTypes: ['Assigned'],
      group: { key: g.alpha, name: 'alpha dev', description: 'Testers of the shop', environmentKey: stage.DEV, updatedAt: expect.any(String), groupIdpClaimMappings: [] },
    })
    expect(new Date(alpha.group.updatedAt).toISOString()).toBe(alpha.group.updatedAt)
    expect(beta).toMatchObject({ membershipTypes: ['Mapped'], group: { description: null, environmentKey: stage.QA } })
    expect(all.results[3].membershipTypes).toEqual(['Assigned', 'Mapped'])
    expect(all.page).toEqual({ count: 4, limit: 100, offset: 0, totalResults: 4, nextPageOffset: null, totalPages: 1 })
  })

  it('filters by membership type, name, stage, app and portfolio', async () => {
    const mapped = await list(user, '?membershipType=mapped')
    expect(keys(mapped)).toEqual([g.beta, g.gamma])
    expect(mapped.results[1].membershipTypes).toEqual(['Assigned', 'Mapped'])
    expect(keys(await list(user, '?membershipType=Assigned'))).toEqual([g.alpha, g.delta, g.gamma])
    expect(keys(await list(user, '?nameContains=DEV'))).toEqual([g.alpha, g.gamma])
    expect(keys(await list(user, `?environmentKey=${stage.PRD}`))).toEqual([g.delta])
    expect(keys(await list(user, `?environmentKeys=${stage.QA},${stage.PRD}`))).toEqual([g.beta, g.delta])
    expect(keys(await list(user, `?environmentKeys=${stage.QA}&environmentKeys=${stage.DEV}`))).toEqual([g.alpha, g.beta, g.gamma])
    expect(keys(await list(user, `?assetKey=${shop}`))).toEqual([g.alpha])
    expect(keys(await list(user, `?portfolioKeys=${UNKNOWN}`))).toEqual([])
  })

  it('pages and refuses bad parameters (400)', async () => {
    const first = await list(user, '?limit=3')
    expect(first.page).toEqual({ count: 3, limit: 3, offset: 0, totalResults: 4, nextPageOffset: 3, totalPages: 2 })
    expect(keys(await list(user, '?limit=3&offset=3'))).toEqual([g.gamma])
    expect(await list(user, '?offset=8')).toMatchObject({ results: [], page: { count: 0, totalResults: 4, nextPageOffset: null } })
    for (const query of ['?limit=0', '?limit=101', '?membershipType=Both', '?assetKey=nope', `?environmentKey=${stage.DEV}&environmentKeys=${stage.QA}`])
      expect(await list(user, query)).toMatchObject({ status: 400, errorCode: 'GH-ID-VAL-40001' })
    expect(await list('nope')).toMatchObject({ status: 400, errors: { key: expect.any(Array) } })
  })

  it('shows only groups of the stages the caller manages; users they cannot see are not found', async () => {
    expect(keys(await list(user, '', t.devManager))).toEqual([g.alpha, g.gamma])
    // In a group with no role: not an end-user, yet visible through the group to whoever manages it.
    const [grouped, loner] = await insertUsers([{ name: 'Only Grouped' }, { name: 'No Groups' }])
    const prdOnly = await createGroup('Prod only', 'PRD', { userKeys: [grouped] })
    expect(keys(await list(grouped))).toEqual([prdOnly])
    expect(await list(grouped, '', t.devManager)).toMatchObject({ status: 404 })
    expect(await list(loner)).toMatchObject({ status: 404 })
    expect(await list(UNKNOWN)).toMatchObject({ status: 404 })
    expect(await list(user, '', t.viewer)).toMatchObject({ status: 403, errorCode: 'GH-ID-PERM-40301' })
    expect(await list(user, '', null)).toMatchObject({ status: 401 })
  })
})
