import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { auditEvents, groupRoles, organizations } from '@/db/schema'
import { insertApiClient, tokenFor } from '@/lib/api/testing'
import { createApp, createAppRole, createGroup } from '@/test/access-factories'
import { expectConforms } from '@/test/contract'
import { auditRows, insertUsers, rowCounts, stageKeyOf, userRow } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { GET, PATCH } from './route'

// /api/identity/v1/groups/{key}/application-roles: Group_QueryApplicationRolesGroups and
// Group_ModifyGroupApplicationRoles. An application role key is an app role instance's key.

const BASE = 'http://localhost:3000/api/identity/v1/groups'
const UNKNOWN = '00000000-0000-4000-8000-000000000000'
type Json = Record<string, unknown> & { errors?: Record<string, string[]>; detail?: string }
type Role = { key: string; name: string; environmentKey: string; assetKey: string; externalKey: string; claim: string | null }
type Page = { results: Role[]; page: Record<string, number | null> }

async function rolesOf(groupKey: string): Promise<string[]> {
  const rows = await (await getDb()).select({ key: groupRoles.instanceKey }).from(groupRoles).where(eq(groupRoles.groupKey, groupKey))
  return rows.map((r) => r.key).sort()
}

describe('/api/identity/v1/groups/{key}/application-roles', () => {
  useTestDatabase()
  let manager: string
  let qaManager: string
  let viewer: string
  let qa: string
  let shop: string
  let crm: string
  let buyer: { key: string; instances: Map<string, string> }
  let admin: { key: string; instances: Map<string, string> }
  let agent: { key: string; instances: Map<string, string> }
  let picker: Map<string, string>
  let group: string

  beforeAll(async () => {
    await setupOrganization()
    await (await getDb()).update(organizations).set({ apiRateLimit: 100_000 })
    manager = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.manage_groups' }] }))
    qaManager = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.manage_groups', stages: ['QA'] }] }))
    viewer = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.view' }] }))
    qa = await stageKeyOf('QA')
    shop = (await createApp('Shop')).key
    crm = (await createApp('CRM')).key
    buyer = await createAppRole(shop, 'Buyer')
    admin = await createAppRole(shop, 'Administrator')
    agent = await createAppRole(crm, 'Agent')
    picker = (await createAppRole((await createApp('Warehouse', ['DEV'])).key, 'Picker')).instances
    group = await createGroup('QA everyone', 'QA', { instanceKeys: [buyer.instances.get('QA')!, admin.instances.get('QA')!, agent.instances.get('QA')!] })
  })

  const list = async (key: string, query = '', token: string | null = manager, status = 200) => {
    const response = await GET(new Request(`${BASE}/${key}/application-roles${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }), { params: Promise.resolve({ key }) })
    expect(response.status, query).toBe(status)
    return (await expectConforms('Group_QueryApplicationRolesGroups', response)) as Page & Json
  }
  const change = async (key: string, body: unknown, token: string | null = manager, status = 200) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }
    const request = new Request(`${BASE}/${key}/application-roles`, { method: 'PATCH', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })
    const response = await PATCH(request, { params: Promise.resolve({ key }) })
    expect(response.status).toBe(status)
    return (await expectConforms('Group_ModifyGroupApplicationRoles', response)) as Json | null
  }
  const names = (page: Page) => page.results.map((r) => r.name)

  describe('GET', () => {
    it('lists the group’s roles in ODC shape, by name', async () => {
      const all = await list(group)
      expect(names(all)).toEqual(['Administrator', 'Agent', 'Buyer'])
      expect(all.page).toEqual({ count: 3, limit: 100, offset: 0, totalResults: 3, nextPageOffset: null, totalPages: 1 })
      expect(all.results[2]).toEqual({ key: buyer.instances.get('QA'), name: 'Buyer', environmentKey: qa, assetKey: shop, externalKey: buyer.key, claim: 'Buyer' })
      expect(names(await list(group, '?sort=-name'))).toEqual(['Buyer', 'Agent', 'Administrator'])
    })

    it('sorts by app (either spelling), both directions, then by name', async () => {
      const byApp = (page: Page) => page.results.map((r) => `${r.assetKey === shop ? 'Shop' : 'CRM'}/${r.name}`)
      const shopFirst = shop < crm
      const asc = await list(group, '?sort=assetkey')
      expect(byApp(asc)).toEqual(shopFirst ? ['Shop/Administrator', 'Shop/Buyer', 'CRM/Agent'] : ['CRM/Agent', 'Shop/Administrator', 'Shop/Buyer'])
      expect(byApp(await list(group, '?sort=assetKey'))).toEqual(byApp(asc))
      expect(byApp(await list(group, '?sort=-assetkey'))).toEqual([...byApp(asc)].reverse())
    })

    it('filters by app, role key(s) and name; pages', async () => {
      expect(names(await list(group, `?assetKey=${crm}`))).toEqual(['Agent'])
      expect(names(await list(group, `?applicationRoleKey=${buyer.instances.get('QA')}`))).toEqual(['Buyer'])
      expect(names(await list(group, `?applicationRoleKeys=${buyer.instances.get('QA')},${buyer.instances.get('DEV')}&applicationRoleKeys=${agent.instances.get('QA')}`))).toEqual(['Agent', 'Buyer'])
      expect(names(await list(group, '?nameContains=ADMIN'))).toEqual(['Administrator'])
      expect(names(await list(group, '?nameContains=_'))).toEqual([])
      const page = await list(group, '?limit=2&offset=2')
      expect(names(page)).toEqual(['Buyer'])
      expect(page.page).toEqual({ count: 1, limit: 2, offset: 2, totalResults: 3, nextPageOffset: null, totalPages: 2 })
      expect((await list(group, '?limit=2')).page).toMatchObject({ count: 2, nextPageOffset: 2 })
      expect(await list(group, '?offset=9')).toMatchObject({ results: [], page: { count: 0, nextPageOffset: null } })
    })

    it('400 for bad parameters, 404 for an unknown group, 403 outside the client’s stages, 401 without a token', async () => {
      const both = `?applicationRoleKey=${UNKNOWN}&applicationRoleKeys=${UNKNOWN}`
      for (const query of ['?limit=0', '?limit=101', '?sort=environmentKey', '?assetKey=shop', '?applicationRoleKeys=a,b', both]) await list(group, query, manager, 400)
      expect((await list(group, both, manager, 400)).errors).toHaveProperty('applicationRoleKey')
      await list('nope', '', manager, 400)
      await list(UNKNOWN, '', manager, 404)
      const devGroup = await createGroup('Dev roles', 'DEV')
      await list(devGroup, '', qaManager, 403)
      expect(await list(group, '', qaManager)).toMatchObject({ page: { totalResults: 3 } })
      await list(group, '', viewer, 403)
      await list(group, '', null, 401)
    })
  })

  describe('PATCH', () => {
    it('adds and removes roles (200, no body): members gain and lose them at once; audited; repeats change nothing', async () => {
      const [member] = await insertUsers([{ name: 'Role Member', email: 'member@roles.test' }])
      const key = await createGroup('Shifting', 'QA', { userKeys: [member] })
      expect((await userRow(member)).isEndUser).toBe(false)
      expect(await change(key, { applicationRoleKeysToAdd: [buyer.instances.get('QA'), agent.instances.get('QA')] }, qaManager)).toBeNull()
      expect(await rolesOf(key)).toEqual([buyer.instances.get('QA'), agent.instances.get('QA')].sort())
      expect((await userRow(member)).isEndUser).toBe(true)
      await change(key, { applicationRoleKeysToAdd: [admin.instances.get('QA')], applicationRoleKeysToRemove: [buyer.instances.get('QA')] })
      expect(await rolesOf(key)).toEqual([admin.instances.get('QA'), agent.instances.get('QA')].sort())
      const events = await auditRows('group.roles_changed', key)
      expect(events).toHaveLength(2)
      expect(events[1]).toMatchObject({ actorType: 'api_client', changes: expect.objectContaining({ added: ['Shop · Administrator'], removed: ['Shop · Buyer'] }) })
      // Adding what it grants and removing what it does not: nothing to do, nothing recorded.
      await change(key, { applicationRoleKeysToAdd: [admin.instances.get('QA')], applicationRoleKeysToRemove: [buyer.instances.get('QA')] })
      await change(key, { applicationRoleKeysToAdd: null, applicationRoleKeysToRemove: null })
      await change(key, {})
      expect(await auditRows('group.roles_changed', key)).toHaveLength(2)
      await change(key, { applicationRoleKeysToRemove: [admin.instances.get('QA'), agent.instances.get('QA')] })
      expect(await rolesOf(key)).toEqual([])
      expect((await userRow(member)).isEndUser).toBe(false)
    })

    it('refuses roles of other stages, bad bodies, unknown groups and other stages’ groups, changing nothing', async () => {
      const key = await createGroup('Fixed', 'QA', { instanceKeys: [buyer.instances.get('QA')!] })
      const before = await rowCounts({ groupRoles, auditEvents })
      const errorsOf = async (body: unknown) => (await change(key, body, manager, 400))?.errors
      expect(await errorsOf({ applicationRoleKeysToAdd: [agent.instances.get('QA'), buyer.instances.get('DEV'), picker.get('DEV')] })).toEqual({
        applicationRoleKeysToAdd: [`${buyer.instances.get('DEV')} is not an application role in the group's environment (QA).`, `${picker.get('DEV')} is not an application role in the group's environment (QA).`],
      })
      expect(await errorsOf({ applicationRoleKeysToRemove: [UNKNOWN] })).toEqual({ applicationRoleKeysToRemove: [`${UNKNOWN} is not an application role in the group's environment (QA).`] })
      expect(await errorsOf({ applicationRoleKeysToAdd: [agent.instances.get('QA')], applicationRoleKeysToRemove: [agent.instances.get('QA')] })).toHaveProperty('applicationRoleKeysToRemove')
      expect(await errorsOf({ applicationRoleKeysToAdd: ['nope'] })).toHaveProperty(['applicationRoleKeysToAdd.0'])
      expect(await errorsOf({ applicationRoleKeysToAdd: Array(501).fill(UNKNOWN) })).toEqual({ applicationRoleKeysToAdd: ['At most 500 application role keys at a time.'] })
      expect(await errorsOf({ roles: [] })).toHaveProperty('form')
      expect(await errorsOf('nope')).toHaveProperty('body')
      await change('nope', { applicationRoleKeysToAdd: [agent.instances.get('QA')] }, manager, 400)
      await change(UNKNOWN, { applicationRoleKeysToAdd: [agent.instances.get('QA')] }, manager, 404)
      const devGroup = await createGroup('Dev fixed', 'DEV')
      await change(devGroup, { applicationRoleKeysToAdd: [agent.instances.get('DEV')] }, qaManager, 403)
      await change(key, { applicationRoleKeysToAdd: [agent.instances.get('QA')] }, viewer, 403)
      await change(key, { applicationRoleKeysToAdd: [agent.instances.get('QA')] }, null, 401)
      expect(await rolesOf(key)).toEqual([buyer.instances.get('QA')])
      expect(await rowCounts({ groupRoles, auditEvents })).toEqual(before)
    })
  })
})
