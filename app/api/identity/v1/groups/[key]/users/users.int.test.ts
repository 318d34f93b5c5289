import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { auditEvents, groupMembers, organizations, users } from '@/db/schema'
import { insertApiClient, tokenFor } from '@/lib/api/testing'
import { createApp, createAppRole, createGroup, grantAppRole } from '@/test/access-factories'
import { expectConforms } from '@/test/contract'
import { auditRows, insertUsers, rowCounts, stageKeyOf, userRow } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { GET, PATCH } from './route'

// /api/identity/v1/groups/{key}/users: Group_QueryUsersFromGroup and Group_AddOrRemoveUsersFromGroup.

const BASE = 'http://localhost:3000/api/identity/v1/groups'
const UNKNOWN = '00000000-0000-4000-8000-000000000000'
type Json = Record<string, unknown> & { errors?: Record<string, string[]>; detail?: string }
type Member = { membershipTypes: string[]; user: Json & { key: string; name: string | null } }
type Page = { results: Member[]; page: Record<string, number | null> }

async function membershipsOf(groupKey: string): Promise<string[]> {
  const rows = await (await getDb()).select({ userKey: groupMembers.userKey, type: groupMembers.type }).from(groupMembers).where(eq(groupMembers.groupKey, groupKey))
  return rows.map((r) => `${r.userKey}:${r.type}`).sort()
}

describe('/api/identity/v1/groups/{key}/users', () => {
  useTestDatabase()
  let manager: string
  let qaManager: string
  let viewer: string
  let devViewerManager: string
  let dev: string
  let prd: string
  let buyer: Map<string, string>
  let group: string
  const u: Record<string, string> = {}

  beforeAll(async () => {
    await setupOrganization()
    await (await getDb()).update(organizations).set({ apiRateLimit: 100_000 })
    manager = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.manage_groups' }] }))
    qaManager = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.manage_groups', stages: ['QA'] }] }))
    viewer = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.view' }] }))
    // Manages groups in DEV only: embedded roles of other stages stay hidden from it.
    devViewerManager = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.manage_groups', stages: ['DEV'] }] }))
    dev = await stageKeyOf('DEV')
    prd = await stageKeyOf('PRD')
    buyer = (await createAppRole((await createApp('Shop')).key, 'Buyer')).instances
    const t = (m: number) => new Date(Date.UTC(2024, 0, 1, 0, m))
    const [anna, bob, carla, dan, eve] = await insertUsers([
      { name: 'Anna Alpha', email: 'anna@members.test', lastLoginAt: t(5) },
      { name: 'bob Beta', email: 'bob@members.test', lastLoginAt: t(1), status: 'Inactive' },
      { name: 'Carla Gamma', email: 'carla+x@other.test', lastLoginAt: t(3) },
      { name: 'Dan Delta', email: 'dan@members.test', status: 'Invited' },
      { name: 'Eve Outside', email: 'eve@members.test' },
    ])
    Object.assign(u, { anna, bob, carla, dan, eve })
    await (await getDb()).update(users).set({ photoUrl: 'https://cdn.example.test/c.png' }).where(eq(users.key, carla))
    group = await createGroup('Shop buyers', 'DEV', { instanceKeys: [buyer.get('DEV')!], userKeys: [anna, bob, carla, dan] })
    await (await getDb()).insert(groupMembers).values({ groupKey: group, userKey: carla, type: 'Mapped' })
    await grantAppRole(anna, [buyer.get('PRD')!])
  })

  const list = async (key: string, query = '', token: string | null = manager, status = 200) => {
    const response = await GET(new Request(`${BASE}/${key}/users${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }), { params: Promise.resolve({ key }) })
    expect(response.status, query).toBe(status)
    return (await expectConforms('Group_QueryUsersFromGroup', response)) as Page & Json
  }
  const change = async (key: string, body: unknown, token: string | null = manager, status = 200) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }
    const request = new Request(`${BASE}/${key}/users`, { method: 'PATCH', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })
    const response = await PATCH(request, { params: Promise.resolve({ key }) })
    expect(response.status).toBe(status)
    return (await expectConforms('Group_AddOrRemoveUsersFromGroup', response)) as Json | null
  }
  const names = (page: Page) => page.results.map((m) => m.user.name)

  describe('GET', () => {
    it('lists each member once with how they are in the group, in ODC shape', async () => {
      const all = await list(group)
      expect(names(all)).toEqual(['Anna Alpha', 'bob Beta', 'Carla Gamma', 'Dan Delta'])
      expect(all.page).toEqual({ count: 4, limit: 100, offset: 0, totalResults: 4, nextPageOffset: null, totalPages: 1 })
      expect(all.results[2]).toEqual({
        membershipTypes: ['Assigned', 'Mapped'],
        user: { key: u.carla, name: 'Carla Gamma', email: 'carla+x@other.test', status: 'Active', photoUrl: 'https://cdn.example.test/c.png', lastLoginAt: '2024-01-01T00:03:00.000Z' },
      })
      // Never signed in: no lastLoginAt (the schema does not allow null there).
      expect(all.results[3]).toEqual({ membershipTypes: ['Assigned'], user: { key: u.dan, name: 'Dan Delta', email: 'dan@members.test', status: 'Invited', photoUrl: null } })
    })

    it('sorts by every allowed field in both directions', async () => {
      expect(names(await list(group, '?sort=-name'))).toEqual(['Dan Delta', 'Carla Gamma', 'bob Beta', 'Anna Alpha'])
      expect(names(await list(group, '?sort=email'))).toEqual(['Anna Alpha', 'bob Beta', 'Carla Gamma', 'Dan Delta'])
      expect(names(await list(group, '?sort=-email'))).toEqual(['Dan Delta', 'Carla Gamma', 'bob Beta', 'Anna Alpha'])
      expect(names(await list(group, '?sort=lastLoginAt'))).toEqual(['Dan Delta', 'bob Beta', 'Carla Gamma', 'Anna Alpha'])
      expect(names(await list(group, '?sort=-lastLoginAt'))).toEqual(['Anna Alpha', 'Carla Gamma', 'bob Beta', 'Dan Delta'])
      expect((await list(group, '?sort=status')).results.map((m) => m.user.status)).toEqual([...(await list(group, '?sort=-status')).results.map((m) => m.user.status)].reverse())
      const byKey = (await list(group, '?sort=key')).results.map((m) => m.user.key)
      expect(byKey).toEqual([...byKey].sort())
      expect((await list(group, '?sort=-key')).results.map((m) => m.user.key)).toEqual([...byKey].reverse())
    })

    it('filters by key, text, sign-in time and membership type', async () => {
      expect(names(await list(group, `?userKey=${u.bob}`))).toEqual(['bob Beta'])
      expect(names(await list(group, `?userKeys=${u.bob},${u.dan}&userKeys=${u.eve}`))).toEqual(['bob Beta', 'Dan Delta'])
      expect(names(await list(group, '?nameOrEmailContains=CARLA%2Bx'))).toEqual(['Carla Gamma'])
      expect(names(await list(group, '?nameOrEmailOrUsernameContains=beta'))).toEqual(['bob Beta'])
      expect(names(await list(group, '?nameOrEmailContains=beta&nameOrEmailOrUsernameContains=BETA'))).toEqual(['bob Beta'])
      expect(names(await list(group, '?lastLoginAtSince=2024-01-01T00:03:00Z'))).toEqual(['Anna Alpha', 'Carla Gamma'])
      expect(names(await list(group, '?lastLoginAtTo=2024-01-01T00:03:00Z'))).toEqual(['bob Beta', 'Carla Gamma'])
      expect(names(await list(group, '?membershipType=Mapped'))).toEqual(['Carla Gamma'])
      expect(names(await list(group, '?membershipType=Assigned'))).toHaveLength(4)
    })

    it('pages: limits, offsets past the end', async () => {
      const first = await list(group, '?limit=3')
      expect(first.page).toEqual({ count: 3, limit: 3, offset: 0, totalResults: 4, nextPageOffset: 3, totalPages: 2 })
      const second = await list(group, '?limit=3&offset=3')
      expect(names(second)).toEqual(['Dan Delta'])
      expect(second.page).toMatchObject({ count: 1, nextPageOffset: null })
      expect(await list(group, '?offset=50')).toMatchObject({ results: [], page: { count: 0, totalResults: 4, nextPageOffset: null } })
    })

    it('embeds application roles in the stages the client may see, and no identity provider profiles', async () => {
      const embedded = await list(group, `?userKey=${u.anna}&embed=applicationRoles,USERIDENTITYPROVIDERS`)
      const roles = (embedded.results[0].user._embedded as { applicationRoles: Json[] }).applicationRoles
      expect(roles.map((r) => r.environmentKey).sort()).toEqual([dev, prd].sort())
      expect(roles[0]).toEqual({ key: expect.any(String), name: 'Buyer', environmentKey: expect.any(String), assetKey: expect.any(String), externalKey: expect.any(String), claim: 'Buyer' })
      expect(embedded.results[0].user._embedded).toMatchObject({ userIdentityProviders: [] })
      const devOnly = await list(group, `?userKey=${u.anna}&embed=ApplicationRoles`, devViewerManager)
      expect(devOnly.results[0].user._embedded).toEqual({ applicationRoles: [expect.objectContaining({ key: buyer.get('DEV'), environmentKey: dev })] })
      expect((await list(group, `?userKey=${u.eve}&embed=ApplicationRoles`)).results).toEqual([])
    })

    it('400 for bad parameters, 404 for an unknown group, 403 outside the client’s stages, 401 without a token', async () => {
      const bad = [
        '?limit=0',
        '?limit=101',
        '?sort=phone',
        '?embed=roles',
        '?membershipType=Direct',
        '?userKey=nope',
        `?userKey=${u.anna}&userKeys=${u.bob}`,
        `?userKeys=${Array(21).fill(u.anna).join(',')}`,
        '?lastLoginAtSince=yesterday',
        '?nameOrEmailContains=a&nameOrEmailOrUsernameContains=b',
      ]
      for (const query of bad) await list(group, query, manager, 400)
      expect((await list(group, `?userKeys=${Array(21).fill(u.anna).join(',')}`, manager, 400)).errors).toEqual({ userKeys: ['At most 20 keys.'] })
      expect((await list('nope', '', manager, 400)).errors).toHaveProperty('key')
      await list(UNKNOWN, '', manager, 404)
      await list(group, '', qaManager, 403)
      await list(group, '', viewer, 403)
      await list(group, '', null, 401)
    })
  })

  describe('PATCH', () => {
    it('adds and removes Assigned members (200, no body), audited; repeating changes nothing', async () => {
      const key = await createGroup('Patchable', 'QA', { instanceKeys: [buyer.get('QA')!], userKeys: [u.bob] })
      expect(await change(key, { userKeysToAdd: [u.eve, u.dan], userKeysToRemove: [u.bob] }, qaManager)).toBeNull()
      expect(await membershipsOf(key)).toEqual([`${u.dan}:Assigned`, `${u.eve}:Assigned`].sort())
      expect((await userRow(u.eve)).isEndUser).toBe(true)
      expect(await auditRows('group.member_added', key)).toHaveLength(2)
      expect((await auditRows('group.member_removed', key))[0]).toMatchObject({ actorType: 'api_client' })
      await change(key, { userKeysToAdd: [u.eve], userKeysToRemove: [u.bob] })
      await change(key, { userKeysToAdd: null, userKeysToRemove: null })
      await change(key, {})
      expect(await auditRows('group.member_added', key)).toHaveLength(2)
      expect(names(await list(key))).toEqual(['Dan Delta', 'Eve Outside'])
    })

    it('refuses bad bodies, Mapped memberships, unknown groups and other stages, changing nothing', async () => {
      const key = await createGroup('Guarded', 'DEV', { userKeys: [u.anna] })
      await (await getDb()).insert(groupMembers).values({ groupKey: key, userKey: u.carla, type: 'Mapped' })
      const before = await rowCounts({ groupMembers, auditEvents })
      const errorsOf = async (body: unknown) => (await change(key, body, manager, 400))?.errors
      expect(await errorsOf({ userKeysToAdd: [UNKNOWN] })).toEqual({ userKeysToAdd: [`No user has the key ${UNKNOWN}.`] })
      expect(await errorsOf({ userKeysToRemove: [UNKNOWN] })).toEqual({ userKeysToRemove: [`No user has the key ${UNKNOWN}.`] })
      expect(await errorsOf({ userKeysToAdd: [u.bob], userKeysToRemove: [u.bob] })).toHaveProperty('userKeysToRemove')
      expect(await errorsOf({ userKeysToAdd: Array(21).fill(u.bob) })).toEqual({ userKeysToAdd: ['At most 20 user keys at a time.'] })
      expect(await errorsOf({ userKeysToAdd: ['nope'] })).toHaveProperty(['userKeysToAdd.0'])
      expect(await errorsOf({ userKeysToAdd: [u.bob], members: [] })).toHaveProperty('form')
      expect(await errorsOf('[')).toHaveProperty('body')
      const mapped = await change(key, { userKeysToAdd: [u.bob], userKeysToRemove: [u.carla] }, manager, 400)
      expect(mapped?.detail).toMatch(/claim mapping/)
      await change('nope', { userKeysToAdd: [u.bob] }, manager, 400)
      await change(UNKNOWN, { userKeysToAdd: [u.bob] }, manager, 404)
      await change(key, { userKeysToAdd: [u.bob] }, qaManager, 403)
      await change(key, { userKeysToAdd: [u.bob] }, viewer, 403)
      await change(key, { userKeysToAdd: [u.bob] }, null, 401)
      expect(await membershipsOf(key)).toEqual([`${u.anna}:Assigned`, `${u.carla}:Mapped`].sort())
      expect(await rowCounts({ groupMembers, auditEvents })).toEqual(before)
    })
  })
})
