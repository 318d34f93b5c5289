import { beforeAll, describe, expect, it } from 'vitest'
import { insertApiClient, tokenFor } from '@/lib/api/testing'
import { createApp, createAppRole, grantAppRole } from '@/test/access-factories'
import { expectConforms } from '@/test/contract'
import { auditRows, insertUsers, stageKeyOf } from '@/test/factories'
import { ADMIN, setupOrganization, useTestDatabase } from '@/test/harness'
import { DELETE, GET, PATCH } from './[key]/route'
import { POST } from './route'

// GET, PATCH, DELETE /api/identity/v1/users/{key} and POST /users.

const BASE = 'http://localhost:3000/api/identity/v1/users'
type Json = Record<string, unknown>

const headers = (token: string | null, body?: boolean): Record<string, string> => ({ ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) })

describe('/users/{key} and POST /users', () => {
  useTestDatabase()
  let manager = ''
  let devViewer = ''
  let none = ''
  let adminKey = ''
  const keys: Record<string, string> = {}
  let dev = ''

  beforeAll(async () => {
    adminKey = (await setupOrganization()).userKey
    dev = await stageKeyOf('DEV')
    manager = await tokenFor(await insertApiClient({ permissions: [{ slug: 'users.manage' }] }))
    devViewer = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.view', stages: ['DEV'] }] }))
    none = await tokenFor(await insertApiClient())
    const [devUser, prdUser, member, target] = await insertUsers([
      { name: 'Dev User', email: 'dev@one.test' },
      { name: 'Prd User', email: 'prd@one.test' },
      { name: 'Member', email: 'member@one.test', isMember: true },
      { name: 'Target', email: 'target@one.test' },
    ])
    Object.assign(keys, { devUser, prdUser, member, target })
    const app = await createApp('Shop', ['DEV', 'PRD'])
    const role = await createAppRole(app.key, 'Buyer')
    await grantAppRole(devUser, [role.instances.get('DEV')!])
    await grantAppRole(prdUser, [role.instances.get('PRD')!])
  })

  const get = async (key: string, token: string | null = manager, status = 200, query = '') => {
    const response = await GET(new Request(`${BASE}/${key}${query}`, { headers: headers(token) }), { params: Promise.resolve({ key }) })
    expect(response.status).toBe(status)
    return (await expectConforms('UserProfile_GetUser', response)) as Json
  }
  const post = async (body: unknown, token: string | null = manager, status = 201) => {
    const response = await POST(new Request(BASE, { method: 'POST', headers: headers(token, true), body: JSON.stringify(body) }), { params: Promise.resolve({}) })
    expect(response.status).toBe(status)
    return (await expectConforms('UserProfile_CreateUser', response)) as Json
  }
  const patch = async (key: string, body: unknown, token: string | null = manager, status = 204) => {
    const response = await PATCH(new Request(`${BASE}/${key}`, { method: 'PATCH', headers: headers(token, true), body: JSON.stringify(body) }), { params: Promise.resolve({ key }) })
    expect(response.status).toBe(status)
    return (await expectConforms('UserProfile_PatchUser', response)) as Json | null
  }
  const del = async (key: string, token: string | null = manager, status = 204) => {
    const response = await DELETE(new Request(`${BASE}/${key}`, { method: 'DELETE', headers: headers(token) }), { params: Promise.resolve({ key }) })
    expect(response.status).toBe(status)
    return (await expectConforms('UserProfile_DeleteUser', response)) as Json | null
  }

  describe('GET /users/{key}', () => {
    it('answers the user in ODC shape, with embeds named in any case', async () => {
      expect(await get(keys.member)).toMatchObject({ key: keys.member, name: 'Member', email: 'member@one.test', status: 'Active', isActive: true, access: { hasOrganizationRoles: true, hasApplicationRoles: false } })
      const embedded = await get(keys.devUser, manager, 200, '?embed=APPLICATIONROLES&embed=userIdentityProviders')
      expect(embedded._embedded).toEqual({ applicationRoles: [expect.objectContaining({ name: 'Buyer', environmentKey: dev, claim: 'Buyer', isDirectlyAssigned: true })], userIdentityProviders: [] })
      expect((await get(keys.devUser, manager, 400, '?embed=roles')).errors).toHaveProperty(['embed.0'])
    })

    it('404 for unknown users and for users the client may not see; 400 for a malformed key', async () => {
      await get('00000000-0000-4000-8000-000000000000', manager, 404)
      expect(await get(keys.devUser, devViewer)).toMatchObject({ key: keys.devUser })
      await get(keys.prdUser, devViewer, 404)
      await get(keys.member, devViewer, 404)
      expect((await get('nope', manager, 400)).errors).toHaveProperty('key')
    })

    it('401 without a token, 403 without any permission to see users', async () => {
      await get(keys.member, null, 401)
      await get(keys.member, none, 403)
    })
  })

  describe('POST /users', () => {
    it('creates an Active user by default, or an Inactive one, granting nothing', async () => {
      const { key } = await post({ email: 'New.Person@one.test', name: 'New Person', photoUrl: null, isActive: true, addToBuiltInIdentityProvider: false, identityProviderKey: null, subject: null, username: null })
      expect(await get(key as string)).toMatchObject({ name: 'New Person', email: 'new.person@one.test', status: 'Active', isActive: true, access: { hasOrganizationRoles: false, hasApplicationRoles: false } })
      expect(await auditRows('user.created', key as string)).toHaveLength(1)
      const inactive = await post({ email: 'off@one.test', isActive: false })
      expect(await get(inactive.key as string)).toMatchObject({ status: 'Inactive', isActive: false, name: null })
    })

    it('an existing email: 400, unless addToBuiltInIdentityProvider, which answers that user unchanged', async () => {
      expect((await post({ email: 'MEMBER@one.test' }, manager, 400)).errors).toHaveProperty('email')
      expect(await post({ email: 'member@one.test', name: 'Other name', addToBuiltInIdentityProvider: true })).toEqual({ key: keys.member })
      expect(await get(keys.member)).toMatchObject({ name: 'Member' })
    })

    it('400 for a missing or invalid email, unknown fields, an identity provider or a bad photo URL', async () => {
      expect((await post({ name: 'No email' }, manager, 400)).errors).toHaveProperty('email')
      expect((await post({ email: 'not-an-email' }, manager, 400)).errors).toHaveProperty('email')
      expect((await post({ email: 'x@one.test', role: 'admin' }, manager, 400)).errors).toHaveProperty('form')
      expect((await post({ email: 'x@one.test', identityProviderKey: dev, subject: 's' }, manager, 400)).errors).toHaveProperty('identityProviderKey')
      expect((await post({ email: 'x@one.test', photoUrl: 'javascript:alert(1)' }, manager, 400)).errors).toHaveProperty('photoUrl')
      expect((await post({ email: 'x@one.test', isActive: 'yes' }, manager, 400)).errors).toHaveProperty('isActive')
    })

    it('401 without a token, 403 without users.manage', async () => {
      await post({ email: 'y@one.test' }, null, 401)
      await post({ email: 'y@one.test' }, devViewer, 403)
    })
  })

  describe('PATCH /users/{key}', () => {
    it('changes name and photo; null and absent fields change nothing', async () => {
      await patch(keys.target, { name: 'Renamed', photoUrl: 'https://cdn.example.test/a.png', isActive: null })
      expect(await get(keys.target)).toMatchObject({ name: 'Renamed', photoUrl: 'https://cdn.example.test/a.png', status: 'Active' })
      await patch(keys.target, { name: null, photoUrl: null, isActive: null })
      await patch(keys.target, {})
      expect(await get(keys.target)).toMatchObject({ name: 'Renamed', photoUrl: 'https://cdn.example.test/a.png', status: 'Active' })
    })

    it('isActive false deactivates, true activates; repeating is harmless', async () => {
      await patch(keys.target, { isActive: false })
      await patch(keys.target, { isActive: false })
      expect(await get(keys.target)).toMatchObject({ status: 'Inactive', isActive: false })
      await patch(keys.target, { isActive: true })
      expect(await get(keys.target)).toMatchObject({ status: 'Active', isActive: true })
    })

    it('400 for unknown fields, wrong types or the last administrator; 404; 401; 403', async () => {
      expect((await patch(keys.target, { email: 'new@one.test' }, manager, 400))!.errors).toHaveProperty('form')
      expect((await patch(keys.target, { isActive: 'no' }, manager, 400))!.errors).toHaveProperty('isActive')
      await patch(adminKey, { isActive: false }, manager, 403)
      await patch('00000000-0000-4000-8000-000000000000', { name: 'x' }, manager, 404)
      await patch(keys.target, { name: 'x' }, null, 401)
      await patch(keys.target, { name: 'x' }, devViewer, 403)
      expect(await get(adminKey)).toMatchObject({ status: 'Active', email: ADMIN.email })
    })
  })

  describe('DELETE /users/{key}', () => {
    it('deletes for good: 204, then 404', async () => {
      await del(keys.target, null, 401)
      await del(keys.target, devViewer, 403)
      await del(keys.target)
      await get(keys.target, manager, 404)
      await del(keys.target, manager, 404)
      expect((await del('nope', manager, 400))!.errors).toHaveProperty('key')
    })
  })
})
