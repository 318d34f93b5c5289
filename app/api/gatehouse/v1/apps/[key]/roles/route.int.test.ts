import { beforeAll, describe, expect, it } from 'vitest'
import { insertApiClient, type TestApiClient, tokenFor, requestInit as init, keyParams } from '@/lib/api/testing'
import { accessSnapshot, createApp, createAppRole, createGroup, grantAppRole, instancesOf } from '@/test/access-factories'
import { expectGatehouseConforms } from '@/test/contract'
import { auditRows, insertUsers, stageKeyOf } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { DELETE, GET as getRole, PATCH } from './[roleKey]/route'
import { GET as listRoles, POST } from './route'

const BASE = 'http://localhost:3000/api/gatehouse/v1/apps'
const UNKNOWN = '00000000-0000-4000-8000-000000000000'
type Json = Record<string, unknown>
type Page = { results: Json[]; page: Json }
type Problem = { status: number; errorCode: string; detail: string; errors?: Record<string, string[]> }

const roleParams = (key: string, roleKey: string) => ({ params: Promise.resolve({ key, roleKey }) })

async function answer(operationId: string, response: Response) {
  const status = response.status
  return { status, body: (await expectGatehouseConforms(operationId, response)) as Json & Problem }
}
const list = async (token: string | null, app: string, query = '') => answer('Apps_ListAppRoles', await listRoles(new Request(`${BASE}/${app}/roles${query}`, init(token)), keyParams(app)))
const create = async (token: string | null, app: string, body: unknown) =>
  answer('Apps_CreateAppRole', await POST(new Request(`${BASE}/${app}/roles`, init(token, 'POST', body)), keyParams(app)))
const read = async (token: string | null, app: string, role: string) =>
  answer('Apps_GetAppRole', await getRole(new Request(`${BASE}/${app}/roles/${role}`, init(token)), roleParams(app, role)))
const patch = async (token: string | null, app: string, role: string, body: unknown) =>
  answer('Apps_UpdateAppRole', await PATCH(new Request(`${BASE}/${app}/roles/${role}`, init(token, 'PATCH', body)), roleParams(app, role)))
const remove = async (token: string | null, app: string, role: string, query = '') =>
  answer('Apps_DeleteAppRole', await DELETE(new Request(`${BASE}/${app}/roles/${role}${query}`, init(token, 'DELETE')), roleParams(app, role)))

describe('/api/gatehouse/v1/apps/{key}/roles', () => {
  useTestDatabase()
  let changer: string
  let changerClient: TestApiClient
  let viewer: string
  let outsider: string
  let dev: string
  let prd: string
  let app: string
  let other: string
  beforeAll(async () => {
    await setupOrganization()
    changerClient = await insertApiClient({ permissions: [{ slug: 'asset.change' }] })
    changer = await tokenFor(changerClient)
    viewer = await tokenFor(await insertApiClient({ permissions: [{ slug: 'asset.open' }] }))
    outsider = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.view' }] }))
    ;[dev, prd] = [await stageKeyOf('DEV'), await stageKeyOf('PRD')]
    app = (await createApp('Shop', ['DEV', 'PRD'])).key
    other = (await createApp('Other shop', ['DEV'])).key
  })

  it('defines a role (201) with an instance in every deployed stage, and audits it', async () => {
    const { status, body } = await create(changer, app, { name: 'Order desk', description: 'Takes orders', isPublic: true })
    expect(status).toBe(201)
    expect(body).toEqual({
      key: expect.any(String),
      name: 'Order desk',
      description: 'Takes orders',
      isPublic: true,
      claimName: 'Order_desk',
      version: 1,
      instances: [
        { key: expect.any(String), stageKey: dev, stageCode: 'DEV' },
        { key: expect.any(String), stageKey: prd, stageCode: 'PRD' },
      ],
    })
    expect(new Set(await instancesOf(body.key as string))).toEqual(new Set((body.instances as Json[]).map((i) => i.key)))
    const [event] = await auditRows('app_role.created', body.key as string)
    expect(event).toMatchObject({ actorType: 'api_client', actorKey: changerClient.key, targetLabel: 'Shop · Order desk' })
    expect((await create(changer, app, { name: 'Clerk', claimName: 'shop.clerk' })).body).toMatchObject({ claimName: 'shop.clerk', isPublic: false, description: '' })
  })

  it('refuses bad role definitions and changes nothing', async () => {
    await create(changer, app, { name: 'Taken' })
    const before = await accessSnapshot()
    expect(await create(changer, app, { name: 'TAKEN' })).toMatchObject({ status: 409, body: { errorCode: 'GH-GH-CONF-40901', errors: { name: expect.any(Array) } } })
    expect(await create(changer, app, {})).toMatchObject({ status: 400, body: { errors: { name: ['Enter a name.'] } } })
    expect(await create(changer, app, { name: 'Bad claim', claimName: 'has space' })).toMatchObject({ status: 400, body: { errors: { claimName: expect.any(Array) } } })
    expect(await create(changer, app, { name: 'Y', isPublic: 'on' })).toMatchObject({ status: 400, body: { errors: { isPublic: expect.any(Array) } } })
    expect(await create(changer, app, { name: 'Y', color: 'red' })).toMatchObject({ status: 400 })
    expect(await create(changer, UNKNOWN, { name: 'Y' })).toMatchObject({ status: 404 })
    expect(await create(changer, 'nope', { name: 'Y' })).toMatchObject({ status: 400, body: { errors: { key: expect.any(Array) } } })
    expect(await create(viewer, app, { name: 'Y' })).toMatchObject({ status: 403, body: { errorCode: 'GH-GH-PERM-40301' } })
    expect(await create(null, app, { name: 'Y' })).toMatchObject({ status: 401 })
    expect(await accessSnapshot()).toEqual(before)
  })

  it('lists an app’s roles with their instances: filter, both sort orders, pagination edges', async () => {
    const shelf = (await createApp('Shelf', ['DEV'])).key
    const made = []
    for (const name of ['Zeta', 'alpha', 'Mu']) made.push(await createAppRole(shelf, name))
    await createAppRole(other, 'Alpha elsewhere')
    const names = (r: { body: Json }) => (r.body as unknown as Page).results.map((x) => x.name)
    const asc = await list(viewer, shelf)
    expect(names(asc)).toEqual(['alpha', 'Mu', 'Zeta'])
    expect((asc.body as unknown as Page).page).toEqual({ count: 3, limit: 100, offset: 0, totalResults: 3, nextPageOffset: null, totalPages: 1 })
    expect((asc.body as unknown as Page).results[0]).toEqual({
      key: made[1].key,
      name: 'alpha',
      description: '',
      isPublic: false,
      claimName: 'alpha',
      version: 1,
      instances: [{ key: made[1].instances.get('DEV'), stageKey: dev, stageCode: 'DEV' }],
    })
    const desc = await list(viewer, shelf, '?sort=-name&limit=2')
    expect(names(desc)).toEqual(['Zeta', 'Mu'])
    expect((desc.body as unknown as Page).page).toEqual({ count: 2, limit: 2, offset: 0, totalResults: 3, nextPageOffset: 2, totalPages: 2 })
    expect(names(await list(viewer, shelf, '?nameContains=ZE'))).toEqual(['Zeta'])
    expect((await list(viewer, shelf, '?offset=3')).body).toMatchObject({ results: [], page: { count: 0, nextPageOffset: null, totalResults: 3 } })
    for (const query of ['?limit=0', '?limit=101', '?sort=claimName', '?offset=x']) expect(await list(viewer, shelf, query)).toMatchObject({ status: 400 })
    expect(await list(viewer, UNKNOWN)).toMatchObject({ status: 404 })
    expect(await list(viewer, 'nope')).toMatchObject({ status: 400 })
    expect(await list(outsider, shelf)).toMatchObject({ status: 403 })
    expect(await list(null, shelf)).toMatchObject({ status: 401 })
  })

  it('reads one role; a role of another app is not found', async () => {
    const role = await createAppRole(app, 'Readable')
    expect(await read(viewer, app, role.key)).toMatchObject({ status: 200, body: { key: role.key, name: 'Readable', instances: [{ stageCode: 'DEV' }, { stageCode: 'PRD' }] } })
    expect(await read(viewer, other, role.key)).toMatchObject({ status: 404, body: { errorCode: 'GH-GH-NF-40401' } })
    expect(await read(viewer, app, UNKNOWN)).toMatchObject({ status: 404 })
    expect(await read(viewer, app, 'nope')).toMatchObject({ status: 400, body: { errors: { roleKey: expect.any(Array) } } })
    expect(await read(outsider, app, role.key)).toMatchObject({ status: 403 })
    expect(await read(null, app, role.key)).toMatchObject({ status: 401 })
  })

  it('patches a role: absent fields stay, instance keys stay, stale versions and taken names are refused', async () => {
    const role = await createAppRole(app, 'Packer')
    const { status, body } = await patch(changer, app, role.key, { name: 'Senior packer', isPublic: true })
    expect(status).toBe(200)
    expect(body).toMatchObject({ name: 'Senior packer', isPublic: true, claimName: 'Packer', version: 2 })
    expect((body.instances as Json[]).map((i) => i.key)).toEqual([role.instances.get('DEV'), role.instances.get('PRD')])
    const [event] = await auditRows('app_role.updated', role.key)
    expect(event).toMatchObject({ actorType: 'api_client', targetLabel: 'Shop · Senior packer' })
    expect(event.changes).toEqual({ before: { name: 'Packer', isPublic: false }, after: { name: 'Senior packer', isPublic: true } })

    await createAppRole(app, 'Shipper')
    const before = await accessSnapshot()
    expect(await patch(changer, app, role.key, { description: 'x', version: 1 })).toMatchObject({ status: 409, body: { errorCode: 'GH-GH-CONF-40901' } })
    expect(await patch(changer, app, role.key, { name: 'shipper' })).toMatchObject({ status: 409, body: { errors: { name: expect.any(Array) } } })
    expect(await patch(changer, app, role.key, { claimName: 'a b' })).toMatchObject({ status: 400, body: { errors: { claimName: expect.any(Array) } } })
    expect(await patch(changer, app, role.key, { key: UNKNOWN })).toMatchObject({ status: 400 })
    expect(await patch(changer, other, role.key, { name: 'Moved' })).toMatchObject({ status: 404 })
    expect(await patch(changer, app, UNKNOWN, { name: 'Ghost' })).toMatchObject({ status: 404 })
    expect(await patch(viewer, app, role.key, { name: 'Nope' })).toMatchObject({ status: 403 })
    expect(await patch(null, app, role.key, { name: 'Nope' })).toMatchObject({ status: 401 })
    expect(await accessSnapshot()).toEqual(before)
  })

  it('deletes a role: refused while users or groups hold it unless confirmed', async () => {
    const unused = await createAppRole(app, 'Unused')
    expect(await remove(viewer, app, unused.key)).toMatchObject({ status: 403 })
    expect(await remove(changer, other, unused.key)).toMatchObject({ status: 404 })
    expect(await remove(changer, app, unused.key)).toEqual({ status: 204, body: null })
    expect(await auditRows('app_role.deleted', unused.key)).toEqual([expect.objectContaining({ actorType: 'api_client' })])

    const held = await createAppRole(app, 'Held')
    const [u1] = await insertUsers([{ name: 'Holder' }])
    await grantAppRole(u1, [held.instances.get('PRD')!])
    await createGroup('Dev crew', 'DEV', { instanceKeys: [held.instances.get('DEV')!] })
    const before = await accessSnapshot()
    const refused = await remove(changer, app, held.key)
    expect(refused).toMatchObject({ status: 409, body: { errorCode: 'GH-GH-CONF-40902', errors: { confirm: ['1 group loses this role in DEV.', '1 user loses this role in PRD.'] } } })
    expect(refused.body.detail).toMatch(/“Held” takes it from 1 user and 1 group/)
    expect(await remove(changer, app, held.key, '?confirm=1')).toMatchObject({ status: 400 })
    expect(await accessSnapshot()).toEqual(before)
    expect(await remove(changer, app, held.key, '?confirm=true')).toEqual({ status: 204, body: null })
    expect(await instancesOf(held.key)).toEqual([])
    const [event] = await auditRows('app_role.deleted', held.key)
    expect(event.changes).toMatchObject({ counts: { usersLosingRole: 1, groupsLosingRole: 1 } })
    expect(await remove(changer, app, held.key)).toMatchObject({ status: 404 })
    expect(await remove(null, app, held.key)).toMatchObject({ status: 401 })
  })
})
