import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { auditEvents, groupMembers, groupRoles, groups, organizations } from '@/db/schema'
import { insertApiClient, tokenFor } from '@/lib/api/testing'
import { createApp, createAppRole, createGroup } from '@/test/access-factories'
import { expectConforms } from '@/test/contract'
import { auditRows, insertUsers, rowCounts, stageKeyOf, userRow } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { DELETE as deleteMapping } from './[key]/claim-mappings/[mappingKey]/route'
import { DELETE, GET as readRoute, PATCH } from './[key]/route'
import { GET as listRoute, POST } from './route'

// /api/identity/v1/groups and /groups/{key}: Group_QueryGroups, _CreateGroup, _ReadGroup,
// _UpdateGroup, _DeleteGroup, and GroupIdpClaimMapping_DeleteGroupIdpClaimMapping.

const BASE = 'http://localhost:3000/api/identity/v1/groups'
const UNKNOWN = '00000000-0000-4000-8000-000000000000'
type Json = Record<string, unknown> & { errors?: Record<string, string[]>; detail?: string }
type Page = { results: Array<Json & { key: string; name: string }>; page: Record<string, number | null> }

/** Calls a route handler as Next.js would, checks the status, and checks the answer against the contract. */
async function call<P>(
  operationId: string,
  handler: (request: Request, context: { params: Promise<P> }) => Promise<Response>,
  opts: { path?: string; method?: string; token: string | null; body?: unknown; params: P },
  status: number,
) {
  const headers: Record<string, string> = {}
  if (opts.token) headers.authorization = `Bearer ${opts.token}`
  if (opts.body !== undefined) headers['content-type'] = 'application/json'
  const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body)
  const response = await handler(new Request(`${BASE}${opts.path ?? ''}`, { method: opts.method ?? 'GET', headers, body }), { params: Promise.resolve(opts.params) })
  expect(response.status, `${operationId} ${opts.method ?? 'GET'} ${opts.path ?? ''}`).toBe(status)
  return (await expectConforms(operationId, response)) as Json
}

const groupCounts = () => rowCounts({ groups, groupMembers, groupRoles, audit: auditEvents })

describe('/api/identity/v1/groups', () => {
  useTestDatabase()
  let manager: string
  let qaManager: string
  let viewer: string
  let none: string
  const stage: Record<string, string> = {}
  let buyer: Map<string, string>
  let picker: Map<string, string>

  beforeAll(async () => {
    await setupOrganization()
    // These tests make more requests than one minute's default allowance.
    await (await getDb()).update(organizations).set({ apiRateLimit: 100_000 })
    manager = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.manage_groups' }] }))
    qaManager = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.manage_groups', stages: ['QA'] }] }))
    viewer = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.view' }] }))
    none = await tokenFor(await insertApiClient())
    for (const code of ['DEV', 'QA', 'PRD']) stage[code] = await stageKeyOf(code)
    buyer = (await createAppRole((await createApp('Shop')).key, 'Buyer')).instances
    picker = (await createAppRole((await createApp('Warehouse', ['DEV'])).key, 'Picker')).instances
  })

  const list = (query: string, token: string | null = manager, status = 200) => call('Group_QueryGroups', listRoute, { path: query, token, params: {} }, status) as Promise<Page & Json>
  const create = (body: unknown, token: string | null = manager, status = 201) => call('Group_CreateGroup', POST, { method: 'POST', token, body, params: {} }, status)
  const read = (key: string, token: string | null = manager, status = 200) => call('Group_ReadGroup', readRoute, { path: `/${key}`, token, params: { key } }, status)
  const patch = (key: string, body: unknown, token: string | null = manager, status = 204) =>
    call('Group_UpdateGroup', PATCH, { path: `/${key}`, method: 'PATCH', token, body, params: { key } }, status)
  const remove = (key: string, token: string | null = manager, status = 204) => call('Group_DeleteGroup', DELETE, { path: `/${key}`, method: 'DELETE', token, params: { key } }, status)
  const removeMapping = (key: string, mappingKey: string, token: string | null = manager, status = 404) =>
    call('GroupIdpClaimMapping_DeleteGroupIdpClaimMapping', deleteMapping, { path: `/${key}/claim-mappings/${mappingKey}`, method: 'DELETE', token, params: { key, mappingKey } }, status)

  describe('POST /groups', () => {
    it('creates a group with its roles and members in one go (201 {key}), audited', async () => {
      const [ann, ben] = await insertUsers([{ name: 'Ann Create', email: 'ann@create.test' }, { name: 'Ben Create', email: 'ben@create.test' }])
      const { key } = await create({ name: 'Shop buyers', description: 'Buy things', environmentKey: stage.DEV, applicationRoleKeys: [buyer.get('DEV'), picker.get('DEV')], userKeys: [ann, ben] })
      const group = await read(key as string)
      expect(group).toEqual({ key, name: 'Shop buyers', description: 'Buy things', environmentKey: stage.DEV, updatedAt: expect.any(String), groupIdpClaimMappings: [] })
      const db = await getDb()
      expect((await db.select().from(groupRoles).where(eq(groupRoles.groupKey, key as string))).map((r) => r.instanceKey).sort()).toEqual([buyer.get('DEV'), picker.get('DEV')].sort())
      expect((await db.select().from(groupMembers).where(eq(groupMembers.groupKey, key as string))).map((r) => r.userKey).sort()).toEqual([ann, ben].sort())
      expect((await userRow(ann)).isEndUser).toBe(true)
      expect(await auditRows('group.created', key as string)).toHaveLength(1)
      expect(await auditRows('group.roles_changed', key as string)).toHaveLength(1)
      expect(await auditRows('group.member_added', key as string)).toHaveLength(2)
      expect((await auditRows('group.created', key as string))[0]).toMatchObject({ actorType: 'api_client' })
    })

    it('needs only an environment: null fields mean none', async () => {
      const { key } = await create({ name: 'Bare', description: null, environmentKey: stage.QA, applicationRoleKeys: null, userKeys: null })
      expect(await read(key as string)).toMatchObject({ name: 'Bare', description: null, environmentKey: stage.QA })
    })

    it('400 for bad bodies, and nothing is created', async () => {
      await create({ name: 'Taken', environmentKey: stage.DEV })
      const before = await groupCounts()
      const errorsOf = async (body: unknown) => (await create(body, manager, 400)).errors
      expect(await errorsOf({ name: 'TAKEN', environmentKey: stage.DEV })).toHaveProperty('name')
      expect(await errorsOf({ name: null, environmentKey: stage.DEV })).toHaveProperty('name')
      expect(await errorsOf({ name: 'x'.repeat(101), environmentKey: stage.DEV })).toHaveProperty('name')
      expect(await errorsOf({ name: 'No stage' })).toEqual({ environmentKey: ['Name the environment (stage) the group belongs to.'] })
      expect(await errorsOf({ name: 'Bad stage', environmentKey: 'dev' })).toHaveProperty('environmentKey')
      expect(await errorsOf({ name: 'Gone stage', environmentKey: UNKNOWN })).toEqual({ environmentKey: ['No environment (stage) has this key.'] })
      // The Warehouse app is not deployed to QA, and a DEV instance is not a QA role.
      expect((await errorsOf({ name: 'Wrong roles', environmentKey: stage.QA, applicationRoleKeys: [buyer.get('QA'), buyer.get('DEV')] }))?.applicationRoleKeys).toEqual([
        `${buyer.get('DEV')} is not an application role in the group's environment (QA).`,
      ])
      expect((await errorsOf({ name: 'Ghost users', environmentKey: stage.QA, userKeys: [UNKNOWN] }))?.userKeys).toEqual([`No user has the key ${UNKNOWN}.`])
      expect((await errorsOf({ name: 'Crowd', environmentKey: stage.QA, userKeys: Array(21).fill(UNKNOWN) }))?.userKeys).toEqual(['At most 20 user keys at a time.'])
      expect(await errorsOf({ name: 'Extra', environmentKey: stage.QA, portfolioKey: UNKNOWN })).toHaveProperty('form')
      expect(await errorsOf('{not json')).toHaveProperty('body')
      expect(await groupCounts()).toEqual(before)
    })

    it('401 without a token; 403 without endusers.manage_groups in that stage, before looking at the body', async () => {
      const before = await groupCounts()
      await create({ name: 'Nope', environmentKey: stage.QA }, null, 401)
      await create({ name: 'Nope', environmentKey: stage.QA }, viewer, 403)
      await create({ name: 'Nope', environmentKey: UNKNOWN }, none, 403)
      await create({ name: 'Nope', environmentKey: stage.DEV }, qaManager, 403)
      expect(await groupCounts()).toEqual(before)
      expect(await create({ name: 'QA allowed', environmentKey: stage.QA }, qaManager)).toHaveProperty('key')
    })
  })

  describe('GET /groups', () => {
    it('lists by name with filters and pagination, only in stages the client manages', async () => {
      for (const [name, code] of [['Zulu list', 'DEV'], ['alpha list', 'QA'], ['Mike list', 'PRD'], ['Kilo list', 'QA']]) await createGroup(name, code)
      const all = await list('?nameContains=LIST')
      expect(all.results.map((g) => g.name)).toEqual(['alpha list', 'Kilo list', 'Mike list', 'Zulu list'])
      expect(all.page).toEqual({ count: 4, limit: 100, offset: 0, totalResults: 4, nextPageOffset: null, totalPages: 1 })
      expect(all.results[0]).toEqual({ key: expect.any(String), name: 'alpha list', description: null, environmentKey: stage.QA, updatedAt: expect.any(String), groupIdpClaimMappings: [] })

      const page = await list('?nameContains=list&limit=3&offset=0')
      expect(page.page).toEqual({ count: 3, limit: 3, offset: 0, totalResults: 4, nextPageOffset: 3, totalPages: 2 })
      const last = await list('?nameContains=list&limit=3&offset=3')
      expect(last.results.map((g) => g.name)).toEqual(['Zulu list'])
      expect(last.page).toMatchObject({ count: 1, nextPageOffset: null })
      expect(await list('?nameContains=list&offset=10')).toMatchObject({ results: [], page: { count: 0, totalResults: 4, nextPageOffset: null } })

      expect((await list(`?nameContains=list&environmentKey=${stage.QA}`)).results.map((g) => g.name)).toEqual(['alpha list', 'Kilo list'])
      expect((await list(`?nameContains=list&environmentKeys=${stage.QA},${stage.PRD}`)).results.map((g) => g.name)).toEqual(['alpha list', 'Kilo list', 'Mike list'])
      expect((await list(`?nameContains=list&environmentKeys=${stage.DEV}&environmentKeys=${stage.PRD}`)).results.map((g) => g.name)).toEqual(['Mike list', 'Zulu list'])
      expect((await list(`?nameContains=list`, qaManager)).results.map((g) => g.name)).toEqual(['alpha list', 'Kilo list'])
      expect((await list(`?nameContains=list&environmentKey=${stage.DEV}`, qaManager)).results).toEqual([])
      // No claim mappings and no portfolios yet: those filters match nothing.
      expect((await list(`?identityProviderKey=${UNKNOWN}`)).page).toMatchObject({ count: 0, totalResults: 0 })
      expect((await list(`?portfolioKeys=${UNKNOWN}`)).results).toEqual([])
      expect((await list(`?nameContains=${encodeURIComponent('%')}`)).results).toEqual([])
    })

    it('400 for bad parameters, 401 without a token, 403 without endusers.manage_groups', async () => {
      for (const query of ['?limit=0', '?limit=101', '?offset=-1', '?environmentKey=dev', `?environmentKey=${stage.DEV}&environmentKeys=${stage.QA}`, '?portfolioKeys=x', '?identityProviderKey=1'])
        await list(query, manager, 400)
      expect((await list(`?environmentKey=${stage.DEV}&environmentKeys=${stage.QA}`, manager, 400)).errors).toHaveProperty('environmentKeys')
      await list('', null, 401)
      await list('', viewer, 403)
      await list('', none, 403)
    })
  })

  describe('GET /groups/{key}', () => {
    it('404 for an unknown key, 400 for a malformed one, 403 outside the client’s stages, 401 without a token', async () => {
      const devGroup = await createGroup('Read dev', 'DEV')
      expect(await read(devGroup)).toMatchObject({ key: devGroup, name: 'Read dev', environmentKey: stage.DEV })
      await read(UNKNOWN, manager, 404)
      expect((await read('nope', manager, 400)).errors).toHaveProperty('key')
      await read(devGroup, qaManager, 403)
      await read(devGroup, viewer, 403)
      await read(devGroup, null, 401)
    })
  })

  describe('PATCH /groups/{key}', () => {
    it('renames and describes (204); null or absent fields stay; audited', async () => {
      const key = await createGroup('Patch me', 'QA')
      await patch(key, { name: 'Patched', description: 'Now described' })
      expect(await read(key)).toMatchObject({ name: 'Patched', description: 'Now described' })
      await patch(key, { name: null, description: null })
      await patch(key, {})
      expect(await read(key)).toMatchObject({ name: 'Patched', description: 'Now described' })
      await patch(key, { description: '' })
      expect(await read(key)).toMatchObject({ name: 'Patched', description: null })
      expect(await auditRows('group.updated', key)).toHaveLength(2)
      await patch(key, { name: 'Patched', description: null }, qaManager)
    })

    it('refuses bad bodies (400), unknown groups (404), other stages (403), no token (401), changing nothing', async () => {
      const key = await createGroup('Keep me', 'DEV')
      await createGroup('Other name', 'DEV')
      const before = await groupCounts()
      expect((await patch(key, { name: 'other NAME' }, manager, 400)).errors).toHaveProperty('name')
      expect((await patch(key, { name: '' }, manager, 400)).errors).toHaveProperty('name')
      expect((await patch(key, { description: 'x'.repeat(501) }, manager, 400)).errors).toHaveProperty('description')
      expect((await patch(key, { environmentKey: stage.QA }, manager, 400)).errors).toHaveProperty('form')
      await patch('nope', { name: 'X' }, manager, 400)
      await patch(UNKNOWN, { name: 'Ghost' }, manager, 404)
      await patch(key, { name: 'Stolen' }, qaManager, 403)
      await patch(key, { name: 'Stolen' }, viewer, 403)
      await patch(key, { name: 'Stolen' }, null, 401)
      expect(await read(key)).toMatchObject({ name: 'Keep me' })
      expect(await groupCounts()).toEqual(before)
    })
  })

  describe('DELETE /groups/{key}', () => {
    it('deletes the group (204): members lose the roles it gave them; audited', async () => {
      const [member] = await insertUsers([{ name: 'Del Member', email: 'del@groups.test' }])
      const key = await createGroup('Doomed', 'PRD', { instanceKeys: [buyer.get('PRD')!], userKeys: [member] })
      expect((await userRow(member)).isEndUser).toBe(true)
      await remove(key, qaManager, 403)
      await remove(key, viewer, 403)
      await remove(key, null, 401)
      await remove('nope', manager, 400)
      await read(key)
      await remove(key)
      await read(key, manager, 404)
      await remove(key, manager, 404)
      expect((await userRow(member)).isEndUser).toBe(false)
      expect((await auditRows('group.deleted', key))[0]).toMatchObject({ actorType: 'api_client' })
    })
  })

  describe('DELETE /groups/{key}/claim-mappings/{mappingKey}', () => {
    it('404 naming the missing mapping (groups have none yet); 404 for an unknown group; 400, 401 and 403 as usual', async () => {
      const key = await createGroup('Mapped nowhere', 'DEV')
      const before = await groupCounts()
      expect((await removeMapping(key, UNKNOWN)).detail).toMatch(/has no claim mapping with this key/)
      expect((await removeMapping(UNKNOWN, UNKNOWN)).detail).toMatch(/group was not found/)
      expect((await removeMapping(key, 'nope', manager, 400)).errors).toHaveProperty('mappingKey')
      expect((await removeMapping('nope', UNKNOWN, manager, 400)).errors).toHaveProperty('key')
      await removeMapping(key, UNKNOWN, qaManager, 403)
      await removeMapping(key, UNKNOWN, viewer, 403)
      await removeMapping(key, UNKNOWN, null, 401)
      expect(await groupCounts()).toEqual(before)
    })
  })
})
