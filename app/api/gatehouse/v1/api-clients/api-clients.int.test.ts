import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { apiClientPermissions, apiClients, apiClientSecrets, auditEvents, organizations } from '@/db/schema'
import { issueClientToken } from '@/lib/api/issue-client-token'
import { insertApiClient, type TestApiClient } from '@/lib/api/testing'
import { systemCtx } from '@/lib/context'
import { expectGatehouseConforms } from '@/test/contract'
import { auditRows, rowCounts, stageKeyOf } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { DELETE, GET as readClient, PATCH } from './[key]/route'
import { PUT as putPermissions } from './[key]/permissions/route'
import { POST as resumeRoute } from './[key]/resume/route'
import { POST as rotateRoute } from './[key]/secrets/route'
import { POST as suspendRoute } from './[key]/suspend/route'
import { GET as listRoute, POST as createRoute } from './route'

const BASE = 'http://localhost:3000/api/gatehouse/v1/api-clients'
const UNKNOWN = '00000000-0000-4000-8000-000000000000'
type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
type Handler = (request: Request, context: { params: Promise<any> }) => Promise<Response> // eslint-disable-line @typescript-eslint/no-explicit-any
type Answer = { status: number; body: Json }

const tables = { apiClients, apiClientSecrets, apiClientPermissions, auditEvents }

async function tokenOf(clientId: string, secret: string): Promise<string> {
  return (await issueClientToken(systemCtx('test'), new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }))).access_token
}
const tokenFor = (c: TestApiClient) => tokenOf(c.clientId, c.secret)
const secretWorks = (clientId: string, secret: string) => tokenOf(clientId, secret).then(() => true, () => false)

async function call(operationId: string, handler: Handler, token: string | null, opts: { path?: string; method?: string; body?: unknown; key?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {}
  if (opts.body !== undefined) headers['content-type'] = 'application/json'
  const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body)
  const request = new Request(`${BASE}${opts.path ?? ''}`, { method: opts.method ?? 'GET', headers, body })
  const response = await handler(request, { params: Promise.resolve(opts.key === undefined ? {} : { key: opts.key }) })
  const status = response.status
  return { status, body: (await expectGatehouseConforms(operationId, response)) as Json }
}

const list = (token: string | null, query = '') => call('ApiClients_ListApiClients', listRoute, token, { path: query })
const create = (token: string | null, body: unknown) => call('ApiClients_CreateApiClient', createRoute, token, { method: 'POST', body })
const read = (token: string | null, key: string) => call('ApiClients_GetApiClient', readClient, token, { path: `/${key}`, key })
const patch = (token: string | null, key: string, body: unknown) => call('ApiClients_UpdateApiClient', PATCH, token, { path: `/${key}`, method: 'PATCH', body, key })
const remove = (token: string | null, key: string) => call('ApiClients_DeleteApiClient', DELETE, token, { path: `/${key}`, method: 'DELETE', key })
const setPermissions = (token: string | null, key: string, body: unknown) =>
  call('ApiClients_SetApiClientPermissions', putPermissions, token, { path: `/${key}/permissions`, method: 'PUT', body, key })
const rotate = (token: string | null, key: string, body?: unknown) => call('ApiClients_RotateApiClientSecret', rotateRoute, token, { path: `/${key}/secrets`, method: 'POST', body, key })
const suspend = (token: string | null, key: string) => call('ApiClients_SuspendApiClient', suspendRoute, token, { path: `/${key}/suspend`, method: 'POST', key })
const resume = (token: string | null, key: string) => call('ApiClients_ResumeApiClient', resumeRoute, token, { path: `/${key}/resume`, method: 'POST', key })

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)

describe('/api/gatehouse/v1/api-clients', () => {
  useTestDatabase()
  let self: TestApiClient
  let manager: string
  let outsider: string
  let qa: string
  let dev: string

  beforeAll(async () => {
    await setupOrganization()
    await (await getDb()).update(organizations).set({ apiRateLimit: 100_000 })
    qa = await stageKeyOf('QA')
    dev = await stageKeyOf('DEV')
    self = await insertApiClient({
      name: 'Manager bot',
      permissions: [{ slug: 'users.manage_api_clients' }, { slug: 'users.view_members' }, { slug: 'endusers.view', stages: ['QA'] }],
    })
    manager = await tokenFor(self)
    outsider = await tokenFor(await insertApiClient({ name: 'Outsider bot', permissions: [{ slug: 'users.view_members' }] }))
  })

  it('creates a client: 201 with its secret once, which works; reading it never shows the secret; audited', async () => {
    const { status, body } = await create(manager, {
      name: 'Billing sync',
      description: 'Nightly export',
      expiresOn: inDays(30),
      permissions: [{ slug: 'users.view_members' }, { slug: 'endusers.view', stageKeys: [qa] }],
    })
    expect(status).toBe(201)
    expect(body.clientId).toMatch(/^[0-9a-f]{32}$/)
    expect(body.secretExpiresAt).toBe(`${inDays(30)}T23:59:59.999Z`)
    expect(await secretWorks(body.clientId, body.clientSecret)).toBe(true)

    const response = await readClient(new Request(`${BASE}/${body.key}`, { headers: { authorization: `Bearer ${manager}` } }), { params: Promise.resolve({ key: body.key }) })
    const text = await response.clone().text()
    expect(text).not.toContain(body.clientSecret)
    expect(await expectGatehouseConforms('ApiClients_GetApiClient', response)).toMatchObject({
      key: body.key,
      clientId: body.clientId,
      name: 'Billing sync',
      description: 'Nightly export',
      version: 1,
      status: 'Available',
      suspendedAt: null,
      permissions: [
        { slug: 'users.view_members', stageKeys: null },
        { slug: 'endusers.view', stageKeys: [qa] },
      ],
      secret: { expiresAt: body.secretExpiresAt, remind: true, remindedAt: null },
      retiringSecrets: [],
    })
    const [event] = await auditRows('api_client.created', body.key)
    expect(event).toMatchObject({ actorType: 'api_client', actorKey: self.key, actorLabel: 'Manager bot', targetLabel: 'Billing sync' })
    expect(JSON.stringify(event.changes)).not.toContain(body.clientSecret)
  })

  it('refuses to create what the caller does not hold itself (403), and other bad requests, changing nothing', async () => {
    const before = await rowCounts(tables)
    const beyond = await create(manager, { name: 'Power grab', permissions: [{ slug: 'users.manage' }] })
    expect(beyond).toMatchObject({ status: 403, body: { errorCode: 'GH-GH-PERM-40301' } })
    expect(beyond.body.detail).toContain('users.manage')
    // Held in QA only: every stage, or DEV, is more than the caller holds.
    expect(await create(manager, { name: 'Wider', permissions: [{ slug: 'endusers.view' }] })).toMatchObject({ status: 403 })
    const dev403 = await create(manager, { name: 'Elsewhere', permissions: [{ slug: 'endusers.view', stageKeys: [qa, dev] }] })
    expect(dev403).toMatchObject({ status: 403 })
    expect(dev403.body.detail).toContain('endusers.view@DEV')
    expect(await create(outsider, { name: 'Not allowed' })).toMatchObject({ status: 403 })
    expect(await create(null, { name: 'Not allowed' })).toMatchObject({ status: 401 })
    expect(await create(manager, { name: 'X', extra: 1 })).toMatchObject({ status: 400, body: { errors: { form: expect.any(Array) } } })
    expect(await create(manager, { description: 'no name' })).toMatchObject({ status: 400, body: { errors: { name: expect.any(Array) } } })
    expect(await create(manager, { name: 'X', permissions: [{ slug: 'no.such' }] })).toMatchObject({ status: 400, body: { errors: { permissions: expect.any(Array) } } })
    expect(await create(manager, { name: 'X', permissions: [{ slug: 'users.view_members', stageKeys: ['nope'] }] })).toMatchObject({ status: 400 })
    expect(await create(manager, { name: 'X', expiresOn: inDays(-1) })).toMatchObject({ status: 400, body: { errors: { expiresOn: expect.any(Array) } } })
    expect(await create(manager, { name: 'X', remind: 'yes' })).toMatchObject({ status: 400 })
    expect(await create(manager, '{not json')).toMatchObject({ status: 400 })
    expect(await create(manager, { name: 'billing SYNC' })).toMatchObject({ status: 409, body: { errors: { name: expect.any(Array) } } })
    expect(await rowCounts(tables)).toEqual(before)

    const count = (await rowCounts({ apiClients })).apiClients
    await (await getDb()).update(organizations).set({ apiClientLimit: count })
    expect(await create(manager, { name: 'One too many' })).toMatchObject({ status: 409, body: { errorCode: 'GH-GH-CONF-40901' } })
    await (await getDb()).update(organizations).set({ apiClientLimit: 35 })
  })

  it('lists clients with their status: filters, sorting both ways, pagination edges', async () => {
    for (const [name, days] of [
      ['List zeta', 60],
      ['list Alpha', 5],
      ['List mu', 200],
    ] as const)
      await create(manager, { name, expiresOn: inDays(days), permissions: [{ slug: 'users.view_members' }] })
    const asc = await list(manager, '?nameOrClientIdContains=LIST')
    expect(asc.status).toBe(200)
    expect(asc.body.results.map((r: Json) => r.name)).toEqual(['list Alpha', 'List mu', 'List zeta'])
    expect(asc.body.results[0]).toMatchObject({ status: 'Needs attention', permissionCount: 1, description: '' })
    expect(asc.body.results[1]).toMatchObject({ status: 'Available', secretExpiresAt: `${inDays(200)}T23:59:59.999Z` })
    expect(asc.body.page).toEqual({ count: 3, limit: 100, offset: 0, totalResults: 3, nextPageOffset: null, totalPages: 1 })
    const desc = await list(manager, '?nameOrClientIdContains=list&sort=-name&limit=2')
    expect(desc.body.results.map((r: Json) => r.name)).toEqual(['List zeta', 'List mu'])
    expect(desc.body.page).toEqual({ count: 2, limit: 2, offset: 0, totalResults: 3, nextPageOffset: 2, totalPages: 2 })
    const second = await list(manager, '?nameOrClientIdContains=list&sort=-name&limit=2&offset=2')
    expect(second.body.results.map((r: Json) => r.name)).toEqual(['list Alpha'])
    expect(second.body.page.nextPageOffset).toBeNull()
    expect((await list(manager, '?nameOrClientIdContains=list&sort=secretExpiresAt')).body.results.map((r: Json) => r.name)).toEqual(['list Alpha', 'List zeta', 'List mu'])
    expect((await list(manager, '?nameOrClientIdContains=list&sort=-secretExpiresAt')).body.results.map((r: Json) => r.name)).toEqual(['List mu', 'List zeta', 'list Alpha'])
    const past = await list(manager, '?nameOrClientIdContains=list&offset=50')
    expect(past.body).toMatchObject({ results: [], page: { count: 0, nextPageOffset: null, totalResults: 3 } })

    const clientId = asc.body.results[2].clientId as string
    expect((await list(manager, `?nameOrClientIdContains=${clientId.slice(4, 20)}`)).body.results.map((r: Json) => r.name)).toEqual(['List zeta'])
    expect((await list(manager, '?nameOrClientIdContains=list&status=needs-attention')).body.results.map((r: Json) => r.name)).toEqual(['list Alpha'])
    expect((await list(manager, '?nameOrClientIdContains=list&status=Needs%20attention')).body.results.map((r: Json) => r.name)).toEqual(['list Alpha'])
    expect((await list(manager, '?nameOrClientIdContains=list&status=Suspended')).body.results).toEqual([])

    for (const query of ['?limit=0', '?limit=101', '?sort=clientId', '?status=Revoked', '?offset=-1']) expect(await list(manager, query)).toMatchObject({ status: 400 })
    expect(await list(null)).toMatchObject({ status: 401 })
    expect(await list(outsider)).toMatchObject({ status: 403 })
  })

  it('reads one client: 400 for a malformed key, 404 for an unknown one, 403 without the permission', async () => {
    expect(await read(manager, self.key)).toMatchObject({ status: 200, body: { key: self.key, name: 'Manager bot', status: 'Available' } })
    expect(await read(manager, 'nope')).toMatchObject({ status: 400, body: { errors: { key: expect.any(Array) } } })
    expect(await read(manager, UNKNOWN)).toMatchObject({ status: 404 })
    expect(await read(outsider, self.key)).toMatchObject({ status: 403 })
    expect(await read(null, self.key)).toMatchObject({ status: 401 })
  })

  it('patches name and description (null or absent: unchanged), refuses a stale version, audited', async () => {
    const { body: created } = await create(manager, { name: 'Patch me', description: 'Old' })
    const key = created.key as string
    const renamed = await patch(manager, key, { name: 'Patched', description: null })
    expect(renamed).toMatchObject({ status: 200, body: { name: 'Patched', description: 'Old', version: 2 } })
    expect(await patch(manager, key, { description: 'New', version: 2 })).toMatchObject({ status: 200, body: { name: 'Patched', description: 'New', version: 3 } })
    const [event] = await auditRows('api_client.updated', key)
    expect(event.changes).toMatchObject({ before: { name: 'Patch me' }, after: { name: 'Patched' } })

    const before = await rowCounts(tables)
    expect(await patch(manager, key, { name: 'Stale', version: 2 })).toMatchObject({ status: 409 })
    expect(await patch(manager, key, { name: 'Manager BOT' })).toMatchObject({ status: 409, body: { errors: { name: expect.any(Array) } } })
    expect(await patch(manager, key, { name: '' })).toMatchObject({ status: 400 })
    expect(await patch(manager, key, { clientId: 'mine' })).toMatchObject({ status: 400 })
    expect(await patch(manager, key, { version: 'two' })).toMatchObject({ status: 400 })
    expect(await patch(manager, 'nope', { name: 'X' })).toMatchObject({ status: 400 })
    expect(await patch(manager, UNKNOWN, { name: 'X' })).toMatchObject({ status: 404 })
    expect(await patch(outsider, key, { name: 'X' })).toMatchObject({ status: 403 })
    expect(await patch(null, key, { name: 'X' })).toMatchObject({ status: 401 })
    expect(await rowCounts(tables)).toEqual(before)
    expect((await read(manager, key)).body).toMatchObject({ name: 'Patched', description: 'New', version: 3 })
  })

  it('replaces permissions; the caller may add only what it holds, and may take away anything', async () => {
    const target = await insertApiClient({ name: 'Powerful bot', permissions: [{ slug: 'users.manage' }, { slug: 'endusers.view', stages: ['QA'] }] })
    const replaced = await setPermissions(manager, target.key, { permissions: [{ slug: 'users.manage' }, { slug: 'users.view_members' }] })
    expect(replaced).toMatchObject({ status: 200, body: { permissions: [{ slug: 'users.view_members', stageKeys: null }, { slug: 'users.manage', stageKeys: null }] } })
    const [event] = await auditRows('api_client.permissions_changed', target.key)
    expect(event).toMatchObject({ actorKey: self.key })

    const before = await rowCounts(tables)
    const grab = await setPermissions(manager, target.key, { permissions: [{ slug: 'users.manage' }, { slug: 'users.manage_roles' }] })
    expect(grab).toMatchObject({ status: 403 })
    expect(grab.body.detail).toContain('users.manage_roles')
    expect(await setPermissions(manager, self.key, { permissions: [{ slug: 'users.manage_api_clients' }, { slug: 'endusers.view', stageKeys: [qa, dev] }] })).toMatchObject({ status: 403 })
    expect(await setPermissions(manager, target.key, { permissions: [{ slug: 'users.manage' }], version: 1 })).toMatchObject({ status: 409 })
    expect(await setPermissions(manager, target.key, { permissions: [{ slug: 'users.manage' }], extra: 1 })).toMatchObject({ status: 400 })
    expect(await setPermissions(manager, target.key, {})).toMatchObject({ status: 400 })
    expect(await setPermissions(manager, UNKNOWN, { permissions: [] })).toMatchObject({ status: 404 })
    expect(await setPermissions(outsider, target.key, { permissions: [] })).toMatchObject({ status: 403 })
    expect(await rowCounts(tables)).toEqual(before)

    expect(await setPermissions(manager, target.key, { permissions: [{ slug: 'users.manage' }] })).toMatchObject({ status: 200, body: { permissions: [{ slug: 'users.manage' }] } })
    expect(await setPermissions(manager, target.key, { permissions: [] })).toMatchObject({ status: 200, body: { permissions: [], status: 'Needs attention' } })
  })

  it('rotates a secret (201, shown once) with an overlap in which both work; refuses to hand over a stronger client', async () => {
    const target = await insertApiClient({ name: 'Rotated bot', permissions: [{ slug: 'users.view_members' }] })
    const rotated = await rotate(manager, target.key, { overlapHours: 24, remind: false })
    expect(rotated.status).toBe(201)
    expect(rotated.body.clientId).toBe(target.clientId)
    expect(new Date(rotated.body.previousSecretsRetireAt).getTime() - Date.now()).toBeGreaterThan(23 * 3_600_000)
    expect(await secretWorks(target.clientId, rotated.body.clientSecret)).toBe(true)
    expect(await secretWorks(target.clientId, target.secret)).toBe(true)
    expect((await read(manager, target.key)).body).toMatchObject({ secret: { remind: false }, retiringSecrets: [{ retiresAt: rotated.body.previousSecretsRetireAt }] })
    expect(await auditRows('api_client.secret_rotated', target.key)).toHaveLength(1)

    // No body at all: defaults, and the replaced secrets stop at once.
    const again = await rotate(manager, target.key)
    expect(again.status).toBe(201)
    expect(await secretWorks(target.clientId, rotated.body.clientSecret)).toBe(false)
    expect(await secretWorks(target.clientId, again.body.clientSecret)).toBe(true)

    const stronger = await insertApiClient({ name: 'Admin bot', permissions: [{ slug: 'users.manage' }] })
    const before = await rowCounts(tables)
    expect(await rotate(manager, stronger.key, {})).toMatchObject({ status: 403 })
    expect(await rotate(manager, target.key, { overlapHours: 73 })).toMatchObject({ status: 400, body: { errors: { overlapHours: expect.any(Array) } } })
    expect(await rotate(manager, target.key, { overlapHours: '5' })).toMatchObject({ status: 400 })
    expect(await rotate(manager, target.key, { secret: 'mine' })).toMatchObject({ status: 400 })
    const untyped = await rotateRoute(new Request(`${BASE}/${target.key}/secrets`, { method: 'POST', headers: { authorization: `Bearer ${manager}` }, body: 'overlapHours=5' }), {
      params: Promise.resolve({ key: target.key }),
    })
    expect(untyped.status).toBe(415)
    await expectGatehouseConforms('ApiClients_RotateApiClientSecret', untyped)
    expect(await rotate(manager, UNKNOWN, {})).toMatchObject({ status: 404 })
    expect(await rotate(manager, 'nope', {})).toMatchObject({ status: 400 })
    expect(await rotate(outsider, target.key, {})).toMatchObject({ status: 403 })
    expect(await rotate(null, target.key, {})).toMatchObject({ status: 401 })
    expect(await rowCounts(tables)).toEqual(before)
    expect(await secretWorks(stronger.clientId, stronger.secret)).toBe(true)
  })

  it('a client may rotate its own secret', async () => {
    const me = await insertApiClient({ name: 'Self-rotating bot', permissions: [{ slug: 'users.manage_api_clients' }] })
    const rotated = await rotate(await tokenFor(me), me.key, { overlapHours: 1 })
    expect(rotated.status).toBe(201)
    expect(await secretWorks(me.clientId, rotated.body.clientSecret)).toBe(true)
  })

  it('suspends and resumes (idempotent, audited); a client cannot suspend itself', async () => {
    const target = await insertApiClient({ name: 'Suspended bot', permissions: [{ slug: 'users.view_members' }] })
    const token = await tokenFor(target)
    expect(await suspend(manager, target.key)).toMatchObject({ status: 200, body: { status: 'Suspended', suspendedAt: expect.any(String) } })
    expect(await list(token)).toMatchObject({ status: 401 })
    expect(await suspend(manager, target.key)).toMatchObject({ status: 200, body: { status: 'Suspended' } })
    expect(await auditRows('api_client.suspended', target.key)).toHaveLength(1)
    expect(await resume(manager, target.key)).toMatchObject({ status: 200, body: { status: 'Available', suspendedAt: null } })
    expect(await auditRows('api_client.resumed', target.key)).toHaveLength(1)

    const before = await rowCounts(tables)
    const refused = await suspend(manager, self.key)
    expect(refused).toMatchObject({ status: 409, body: { errorCode: 'GH-GH-CONF-40901' } })
    expect(refused.body.detail).toMatch(/cannot suspend itself/)
    expect(await suspend(manager, UNKNOWN)).toMatchObject({ status: 404 })
    expect(await resume(manager, 'nope')).toMatchObject({ status: 400 })
    expect(await suspend(outsider, target.key)).toMatchObject({ status: 403 })
    expect(await resume(null, target.key)).toMatchObject({ status: 401 })
    expect(await rowCounts(tables)).toEqual(before)
    expect((await read(manager, self.key)).body.status).toBe('Available')
  })

  it('deletes a client (204, audited; its token stops); a client cannot delete itself', async () => {
    const target = await insertApiClient({ name: 'Doomed bot', permissions: [{ slug: 'users.view_members' }] })
    const token = await tokenFor(target)
    const before = await rowCounts(tables)
    expect(await remove(outsider, target.key)).toMatchObject({ status: 403 })
    expect(await remove(manager, self.key)).toMatchObject({ status: 409 })
    expect(await remove(manager, 'nope')).toMatchObject({ status: 400 })
    expect(await remove(null, target.key)).toMatchObject({ status: 401 })
    expect(await rowCounts(tables)).toEqual(before)

    expect(await remove(manager, target.key)).toEqual({ status: 204, body: null })
    expect(await read(manager, target.key)).toMatchObject({ status: 404 })
    expect(await remove(manager, target.key)).toMatchObject({ status: 404 })
    expect(await list(token)).toMatchObject({ status: 401 })
    const [event] = await auditRows('api_client.deleted', target.key)
    expect(event).toMatchObject({ actorKey: self.key, targetLabel: 'Doomed bot' })
    expect((await (await getDb()).select().from(apiClients).where(eq(apiClients.key, self.key))).length).toBe(1)
  })
})
