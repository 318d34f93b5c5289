import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { insertApiClient, tokenFor } from '@/lib/api/testing'
import { PAGE_TOTAL_CAP } from '@/lib/users/query-users'
import { createApp, createAppRole, createGroup, grantAppRole } from '@/test/access-factories'
import { expectConforms } from '@/test/contract'
import { insertUsers } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { GET as countRoute } from './count/route'
import { GET as readRoute } from './[key]/route'
import { GET as listRoute } from './route'

// How GET /users pages stay cheap at a million users: the total of an unfiltered list comes from
// the live counters, a filtered one is counted only up to PAGE_TOTAL_CAP, and embedded roles are
// read for the whole page at once — with answers equal to the slow, exact way.

const BASE = 'http://localhost:3000/api/identity/v1/users'
type Page = { results: Array<Record<string, unknown> & { key: string }>; page: { count: number; offset: number; totalResults: number | null; nextPageOffset: number | null; totalPages: number | null } }

describe('GET /users totals and embedded roles', () => {
  useTestDatabase()
  let manager: string
  let qaViewer: string
  const bulk = PAGE_TOTAL_CAP + 5
  beforeAll(async () => {
    await setupOrganization()
    await (await getDb()).execute(sql`update organizations set api_rate_limit = 100000`)
    manager = await tokenFor(await insertApiClient({ permissions: [{ slug: 'users.manage' }] }))
    qaViewer = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.view', stages: ['QA'] }] }))
    await (await getDb()).execute(sql`insert into users (name, email, status) select 'Crowd ' || lpad(g::text, 6, '0'), 'crowd' || g || '@crowd.test', 'Active' from generate_series(1, ${bulk}) g`)
  })

  const list = async (query: string, token = manager) => {
    const response = await listRoute(new Request(`${BASE}?${query}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({}) })
    expect(response.status).toBe(200)
    return (await expectConforms('UserProfile_QueryUsers', response)) as Page
  }
  const count = async (query: string) => {
    const response = await countRoute(new Request(`${BASE}/count?${query}`, { headers: { authorization: `Bearer ${manager}` } }), { params: Promise.resolve({}) })
    return ((await expectConforms('UserProfile_CountUsers', response)) as { userCount: number }).userCount
  }
  const exactCount = async (where = sql`true`) => ((await (await getDb()).execute(sql`select count(*)::int as n from users where ${where}`)).rows[0] as { n: number }).n

  it('gives an unfiltered list its exact total from the live counters, and the count agrees', async () => {
    const all = await exactCount()
    const body = await list('limit=10')
    expect(body.page).toMatchObject({ count: 10, totalResults: all, nextPageOffset: 10, totalPages: Math.ceil(all / 10) })
    expect(await count('')).toBe(all)
    await insertUsers([{ name: 'Late arrival', email: 'late@crowd.test' }])
    expect((await list('limit=10')).page.totalResults).toBe(all + 1)
    // Past the end: an empty last page with the total, without walking the list.
    expect((await list(`limit=10&offset=${all + 1}`)).page).toMatchObject({ count: 0, totalResults: all + 1, nextPageOffset: null })
  })

  it('counts a filtered list exactly up to the cap and leaves the total out above it, still saying whether a page follows', async () => {
    const small = await list('nameOrEmailContains=crowd 00001&limit=5')
    expect(small.page).toMatchObject({ count: 5, totalResults: 10, nextPageOffset: 5, totalPages: 2 })
    const big = await list('domains=crowd.test&limit=100&offset=200')
    expect(big.page).toMatchObject({ count: 100, offset: 200, totalResults: null, nextPageOffset: 300, totalPages: null })
    // The count operation stays exact whatever the size.
    expect(await count('domains=crowd.test')).toBe(bulk + 1)
    // A page shorter than the limit tells its own total without counting.
    const last = await list(`domains=crowd.test&limit=100&offset=${bulk - 50}`)
    expect(last.page).toMatchObject({ count: 51, totalResults: bulk + 1, nextPageOffset: null, totalPages: Math.ceil((bulk + 1) / 100) })
  })

  it('returns the same users in the same order at any depth as a plain ordered query', async () => {
    const deep = await list('domains=crowd.test&sort=-name&limit=7&offset=9000')
    const expected = (await (await getDb()).execute(sql`select key from users where email like '%@crowd.test' order by lower(name) desc, key desc limit 7 offset 9000`)).rows.map((r) => (r as { key: string }).key)
    expect(deep.results.map((r) => r.key)).toEqual(expected)
  })

  it('embeds each user’s roles for a whole page exactly as reading each user does, limited to the stages the caller sees', async () => {
    const app = await createApp('Ledger', ['DEV', 'QA'])
    const role = await createAppRole(app.key, 'Clerk')
    const other = await createAppRole(app.key, 'Auditor')
    const [ann, ben, cat] = await insertUsers([
      { name: 'Embed Ann', email: 'ann@embed.test', isEndUser: true },
      { name: 'Embed Ben', email: 'ben@embed.test', isEndUser: true },
      { name: 'Embed Cat', email: 'cat@embed.test' },
    ])
    await grantAppRole(ann, [role.instances.get('QA')!, role.instances.get('DEV')!, other.instances.get('QA')!])
    await createGroup('QA clerks', 'QA', { instanceKeys: [role.instances.get('QA')!], userKeys: [ann, ben] })
    for (const token of [manager, qaViewer]) {
      const page = await list('domains=embed.test&embed=applicationRoles', token)
      const keys = page.results.map((r) => r.key)
      for (const key of keys) {
        const one = await readRoute(new Request(`${BASE}/${key}?embed=applicationRoles`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ key }) })
        const single = (await expectConforms('UserProfile_GetUser', one)) as Record<string, unknown>
        expect(page.results.find((r) => r.key === key)).toEqual(single)
      }
      if (token === manager) {
        expect(keys).toEqual([ann, ben, cat])
        const annRoles = (page.results[0]._embedded as { applicationRoles: Array<{ name: string; isDirectlyAssigned: boolean; assignedGroups: unknown[] }> }).applicationRoles
        expect(annRoles.map((r) => r.name)).toEqual(['Auditor', 'Clerk', 'Clerk'])
      } else {
        // A QA viewer sees only the QA roles: Ann's DEV grant is left out.
        const annRoles = (page.results[0]._embedded as { applicationRoles: Array<{ environmentKey: string }> }).applicationRoles
        expect(new Set(annRoles.map((r) => r.environmentKey)).size).toBe(1)
        expect(annRoles).toHaveLength(2)
      }
    }
  })
})
