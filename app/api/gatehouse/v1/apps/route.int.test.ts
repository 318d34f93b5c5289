import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { apps } from '@/db/schema'
import { insertApiClient, type TestApiClient, tokenFor, requestInit as init, keyParams } from '@/lib/api/testing'
import { accessSnapshot, appRow, createApp, createAppRole, createGroup, grantAppRole } from '@/test/access-factories'
import { expectGatehouseConforms } from '@/test/contract'
import { auditRows, grantHolders, insertUsers, stageKeyOf } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { DELETE, GET as getApp, PATCH } from './[key]/route'
import { GET as listApps, POST } from './route'

const BASE = 'http://localhost:3000/api/gatehouse/v1/apps'
const UNKNOWN = '00000000-0000-4000-8000-000000000000'
type Json = Record<string, unknown>
type Page = { results: Json[]; page: Json }
type Problem = { status: number; errorCode: string; detail: string; errors?: Record<string, string[]> }

const noParams = { params: Promise.resolve({}) }

async function answer(operationId: string, response: Response) {
  const status = response.status
  return { status, body: (await expectGatehouseConforms(operationId, response)) as Json & Problem }
}
const list = async (token: string | null, query = '') => answer('Apps_ListApps', await listApps(new Request(`${BASE}${query}`, init(token)), noParams))
const create = async (token: string | null, body: unknown) => answer('Apps_CreateApp', await POST(new Request(BASE, init(token, 'POST', body)), noParams))
const read = async (token: string | null, key: string) => answer('Apps_GetApp', await getApp(new Request(`${BASE}/${key}`, init(token)), keyParams(key)))
const patch = async (token: string | null, key: string, body: unknown) => answer('Apps_UpdateApp', await PATCH(new Request(`${BASE}/${key}`, init(token, 'PATCH', body)), keyParams(key)))
const remove = async (token: string | null, key: string, query = '') => answer('Apps_DeleteApp', await DELETE(new Request(`${BASE}/${key}${query}`, init(token, 'DELETE')), keyParams(key)))

describe('/api/gatehouse/v1/apps', () => {
  useTestDatabase()
  let manager: string
  let changer: string
  let viewer: string
  let outsider: string
  let managerClient: TestApiClient
  let dev: string
  let qa: string
  let prd: string
  beforeAll(async () => {
    await setupOrganization()
    managerClient = await insertApiClient({ name: 'App manager', permissions: [{ slug: 'asset.create' }, { slug: 'asset.change' }, { slug: 'asset.delete' }] })
    manager = await tokenFor(managerClient)
    changer = await tokenFor(await insertApiClient({ permissions: [{ slug: 'asset.change' }] }))
    viewer = await tokenFor(await insertApiClient({ permissions: [{ slug: 'asset.open' }] }))
    outsider = await tokenFor(await insertApiClient({ permissions: [{ slug: 'users.view_members' }] }))
    ;[dev, qa, prd] = [await stageKeyOf('DEV'), await stageKeyOf('QA'), await stageKeyOf('PRD')]
  })

  it('registers an app (201 with the app, no roles) and audits it as the API client', async () => {
    const { status, body } = await create(manager, { name: ' Billing ', description: 'Invoices', stageKeys: [prd, dev] })
    expect(status).toBe(201)
    expect(body).toEqual({
      key: expect.any(String),
      name: 'Billing',
      description: 'Invoices',
      version: 1,
      stages: [
        { key: dev, code: 'DEV', name: 'Development' },
        { key: prd, code: 'PRD', name: 'Production' },
      ],
      roles: [],
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      updatedAt: expect.any(String),
    })
    const [event] = await auditRows('app.created', body.key as string)
    expect(event).toMatchObject({ actorType: 'api_client', actorKey: managerClient.key, targetLabel: 'Billing' })
    expect((await create(manager, { name: 'Ledger', stageKeys: [qa] })).body).toMatchObject({ description: '', stages: [{ key: qa, code: 'QA' }] })
  })

  it('refuses bad registrations and changes nothing', async () => {
    const before = await accessSnapshot()
    expect(await create(manager, { name: 'billing', stageKeys: [dev] })).toMatchObject({ status: 409, body: { errorCode: 'GH-GH-CONF-40901', errors: { name: expect.any(Array) } } })
    expect(await create(manager, { stageKeys: [dev] })).toMatchObject({ status: 400, body: { errorCode: 'GH-GH-VAL-40001', errors: { name: ['Enter a name.'] } } })
    expect(await create(manager, { name: '  ', stageKeys: [dev] })).toMatchObject({ status: 400, body: { errors: { name: expect.any(Array) } } })
    expect(await create(manager, { name: 'X', stageKeys: [] })).toMatchObject({ status: 400, body: { errors: { stageKeys: expect.any(Array) } } })
    expect(await create(manager, { name: 'X', stageKeys: ['nope'] })).toMatchObject({ status: 400, body: { errors: { stageKeys: expect.any(Array) } } })
    expect(await create(manager, { name: 'X', stageKeys: [UNKNOWN] })).toMatchObject({ status: 400, body: { errors: { stageKeys: expect.any(Array) } } })
    expect(await create(manager, { name: 'X', stageKeys: [dev], owner: 'me' })).toMatchObject({ status: 400, body: { errors: { form: [expect.stringMatching(/owner/)] } } })
    expect(await create(manager, { name: 'X', description: 5, stageKeys: [dev] })).toMatchObject({ status: 400, body: { errors: { description: expect.any(Array) } } })
    expect(await create(manager, '{not json')).toMatchObject({ status: 400 })
    const wrongType = await POST(new Request(BASE, { method: 'POST', headers: { authorization: `Bearer ${manager}`, 'content-type': 'text/plain' }, body: '{}' }), noParams)
    expect(await answer('Apps_CreateApp', wrongType)).toMatchObject({ status: 415 })
    expect(await create(viewer, { name: 'Not allowed', stageKeys: [dev] })).toMatchObject({ status: 403, body: { errorCode: 'GH-GH-PERM-40301' } })
    expect(await create(null, { name: 'Not allowed', stageKeys: [dev] })).toMatchObject({ status: 401 })
    expect(await accessSnapshot()).toEqual(before)
  })

  it('lists apps with filters, both sort orders and pagination edges', async () => {
    const db = await getDb()
    const made = [
      await createApp('Zeta list', ['DEV']),
      await createApp('alpha list', ['DEV', 'QA']),
      await createApp('Mu list', ['PRD']),
    ]
    const times = ['2024-03-01T00:00:00Z', '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z']
    for (const [i, app] of made.entries()) await db.update(apps).set({ createdAt: new Date(times[i]) }).where(eq(apps.key, app.key))
    await createAppRole(made[1].key, 'Reader')
    await createAppRole(made[1].key, 'Writer')

    const names = (r: { body: Json }) => (r.body as unknown as Page).results.map((a) => a.name)
    const asc = await list(viewer, '?nameContains=LIST')
    expect(names(asc)).toEqual(['alpha list', 'Mu list', 'Zeta list'])
    expect((asc.body as unknown as Page).page).toEqual({ count: 3, limit: 100, offset: 0, totalResults: 3, nextPageOffset: null, totalPages: 1 })
    expect((asc.body as unknown as Page).results[0]).toEqual({
      key: made[1].key,
      name: 'alpha list',
      description: '',
      version: 1,
      stages: [
        { key: dev, code: 'DEV', name: 'Development' },
        { key: qa, code: 'QA', name: 'QA' },
      ],
      roleCount: 2,
      createdAt: '2024-01-01T00:00:00.000Z',
      updatedAt: expect.any(String),
    })
    const desc = await list(viewer, '?nameContains=list&sort=-name&limit=2')
    expect(names(desc)).toEqual(['Zeta list', 'Mu list'])
    expect((desc.body as unknown as Page).page).toEqual({ count: 2, limit: 2, offset: 0, totalResults: 3, nextPageOffset: 2, totalPages: 2 })
    expect(names(await list(viewer, '?nameContains=list&sort=-name&limit=2&offset=2'))).toEqual(['alpha list'])
    expect(names(await list(viewer, '?nameContains=list&sort=createdAt'))).toEqual(['alpha list', 'Mu list', 'Zeta list'])
    expect(names(await list(viewer, '?nameContains=list&sort=-createdAt'))).toEqual(['Zeta list', 'Mu list', 'alpha list'])
    expect(names(await list(viewer, `?nameContains=list&stageKey=${dev}`))).toEqual(['alpha list', 'Zeta list'])
    expect(names(await list(viewer, `?nameContains=list&stageKey=${UNKNOWN}`))).toEqual([])
    // LIKE wildcards are matched literally.
    expect(names(await list(viewer, '?nameContains=%25'))).toEqual([])
    const past = await list(viewer, '?nameContains=list&offset=50')
    expect(past.body).toMatchObject({ results: [], page: { count: 0, nextPageOffset: null, totalResults: 3 } })
    for (const query of ['?limit=0', '?limit=101', '?offset=-1', '?sort=key', '?sort=-updatedAt', '?stageKey=nope', '?limit=1&limit=2'])
      expect(await list(viewer, query)).toMatchObject({ status: 400, body: { errorCode: 'GH-GH-VAL-40001' } })
    expect(await list(null)).toMatchObject({ status: 401 })
    expect(await list(outsider)).toMatchObject({ status: 403, body: { errorCode: 'GH-GH-PERM-40301' } })
  })

  it('reads an app with its stages and end-user roles; instance keys are per stage', async () => {
    const app = await createApp('Reader app', ['DEV', 'QA'])
    const role = await createAppRole(app.key, 'Approver', { isPublic: true })
    const { status, body } = await read(viewer, app.key)
    expect(status).toBe(200)
    expect(body).toMatchObject({ key: app.key, name: 'Reader app', stages: [{ code: 'DEV' }, { code: 'QA' }] })
    expect(body.roles).toEqual([
      {
        key: role.key,
        name: 'Approver',
        description: '',
        isPublic: true,
        claimName: 'Approver',
        version: 1,
        instances: [
          { key: role.instances.get('DEV'), stageKey: dev, stageCode: 'DEV' },
          { key: role.instances.get('QA'), stageKey: qa, stageCode: 'QA' },
        ],
      },
    ])
    expect(await read(viewer, UNKNOWN)).toMatchObject({ status: 404, body: { errorCode: 'GH-GH-NF-40401' } })
    expect(await read(viewer, 'not-a-key')).toMatchObject({ status: 400, body: { errors: { key: expect.any(Array) } } })
    expect(await read(outsider, app.key)).toMatchObject({ status: 403 })
    expect(await read(null, app.key)).toMatchObject({ status: 401 })
  })

  it('patches name and description; absent fields stay; a stale version is refused', async () => {
    const app = await createApp('Patch me', ['DEV'])
    const { status, body } = await patch(changer, app.key, { description: 'Now described' })
    expect(status).toBe(200)
    expect(body).toMatchObject({ name: 'Patch me', description: 'Now described', version: 2, stages: [{ code: 'DEV' }] })
    expect((await patch(changer, app.key, { name: 'Patched', version: 2 })).body).toMatchObject({ name: 'Patched', description: 'Now described', version: 3 })
    const [event] = await auditRows('app.updated', app.key).then((rows) => rows.slice(-1))
    expect(event).toMatchObject({ actorType: 'api_client', targetLabel: 'Patched' })
    expect(event.changes).toEqual({ before: { name: 'Patch me' }, after: { name: 'Patched' } })
    // Nothing to change: same version, no audit event.
    expect((await patch(changer, app.key, {})).body).toMatchObject({ version: 3 })
    expect(await auditRows('app.updated', app.key)).toHaveLength(2)

    const before = await accessSnapshot()
    expect(await patch(changer, app.key, { name: 'Stale', version: 1 })).toMatchObject({ status: 409, body: { errorCode: 'GH-GH-CONF-40901' } })
    expect(await patch(changer, app.key, { name: 'billing' })).toMatchObject({ status: 409, body: { errors: { name: expect.any(Array) } } })
    expect(await patch(changer, app.key, { name: '' })).toMatchObject({ status: 400, body: { errors: { name: expect.any(Array) } } })
    expect(await patch(changer, app.key, { version: 'two' })).toMatchObject({ status: 400, body: { errors: { version: expect.any(Array) } } })
    expect(await patch(changer, app.key, { stageKeys: [] })).toMatchObject({ status: 400, body: { errors: { stageKeys: expect.any(Array) } } })
    expect(await patch(changer, app.key, { stageKeys: [UNKNOWN] })).toMatchObject({ status: 400, body: { errors: { stageKeys: expect.any(Array) } } })
    expect(await patch(changer, app.key, { owner: 'me' })).toMatchObject({ status: 400 })
    expect(await patch(changer, UNKNOWN, { name: 'Ghost' })).toMatchObject({ status: 404 })
    expect(await patch(changer, 'nope', { name: 'Ghost' })).toMatchObject({ status: 400 })
    expect(await patch(viewer, app.key, { name: 'Nope' })).toMatchObject({ status: 403 })
    expect(await patch(null, app.key, { name: 'Nope' })).toMatchObject({ status: 401 })
    expect(await accessSnapshot()).toEqual(before)
    expect((await appRow(app.key)).name).toBe('Patched')
  })

  it('redeploys: a new stage gets instances; undeploying where someone holds a role needs confirm', async () => {
    const app = await createApp('Deploy me', ['DEV', 'QA'])
    const role = await createAppRole(app.key, 'User')
    // Nobody holds the role yet: adding PRD and dropping DEV needs no confirmation.
    const moved = await patch(changer, app.key, { stageKeys: [qa, prd] })
    expect(moved.status).toBe(200)
    const instances = (moved.body.roles as Array<{ instances: Json[] }>)[0].instances
    expect(instances).toEqual([
      { key: role.instances.get('QA'), stageKey: qa, stageCode: 'QA' },
      { key: expect.any(String), stageKey: prd, stageCode: 'PRD' },
    ])

    const [holder] = await insertUsers([{ name: 'QA holder' }])
    await grantAppRole(holder, [role.instances.get('QA')!])
    await createGroup('QA team', 'QA', { instanceKeys: [role.instances.get('QA')!] })
    const before = await accessSnapshot()
    const refused = await patch(changer, app.key, { stageKeys: [prd] })
    expect(refused).toMatchObject({
      status: 409,
      body: { errorCode: 'GH-GH-CONF-40902', errors: { confirm: ['1 user and 1 group lose roles in QA.'] } },
    })
    expect(refused.body.detail).toMatch(/Undeploying from QA .* 1 user and 1 group/)
    expect(await accessSnapshot()).toEqual(before)

    const confirmed = await patch(changer, app.key, { stageKeys: [prd], confirm: true })
    expect(confirmed).toMatchObject({ status: 200, body: { stages: [{ code: 'PRD' }] } })
    const [event] = (await auditRows('app.updated', app.key)).slice(-1)
    expect(event.changes).toMatchObject({ impact: { stagesRemoved: ['QA'], usersLosingRoles: 1, groupsLosingRoles: 1 } })
  })

  it('deletes an app: refused while someone would lose access unless confirmed', async () => {
    const quiet = await createApp('Quiet app', ['DEV'])
    await createAppRole(quiet.key, 'Unused')
    expect(await remove(changer, quiet.key)).toMatchObject({ status: 403 })
    expect(await remove(manager, quiet.key)).toEqual({ status: 204, body: null })
    expect(await appRow(quiet.key)).toBeUndefined()
    expect(await auditRows('app.deleted', quiet.key)).toEqual([expect.objectContaining({ actorType: 'api_client' })])

    const busy = await createApp('Busy app', ['DEV', 'QA'])
    const role = await createAppRole(busy.key, 'Member')
    const [u1, u2] = await insertUsers([{ name: 'One' }, { name: 'Two' }])
    await grantAppRole(u1, [role.instances.get('DEV')!, role.instances.get('QA')!])
    await grantAppRole(u2, [role.instances.get('QA')!])
    await grantHolders('Developer', 1, { appKey: busy.key })
    const before = await accessSnapshot()
    const refused = await remove(manager, busy.key)
    expect(refused).toMatchObject({
      status: 409,
      body: { errorCode: 'GH-GH-CONF-40902', errors: { confirm: ['1 user loses roles in DEV.', '2 users lose roles in QA.', '1 member loses an organization role for this app.'] } },
    })
    expect(await remove(manager, busy.key, '?confirm=false')).toMatchObject({ status: 409 })
    expect(await remove(manager, busy.key, '?confirm=yes')).toMatchObject({ status: 400, body: { errors: { confirm: expect.any(Array) } } })
    expect(await accessSnapshot()).toEqual(before)
    expect(await remove(manager, busy.key, '?confirm=true')).toEqual({ status: 204, body: null })
    const [event] = await auditRows('app.deleted', busy.key)
    expect(event.changes).toMatchObject({ counts: { roles: 1, usersLosingRoles: 2, membersLosingAppRoles: 1 } })

    expect(await remove(manager, busy.key)).toMatchObject({ status: 404 })
    expect(await remove(manager, 'nope')).toMatchObject({ status: 400 })
    expect(await remove(null, UNKNOWN)).toMatchObject({ status: 401 })
  })
})
