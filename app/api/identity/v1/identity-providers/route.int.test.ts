import { beforeAll, describe, expect, it } from 'vitest'
import { insertApiClient, tokenFor } from '@/lib/api/testing'
import { expectConforms } from '@/test/contract'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { GET as readProvider } from './[key]/route'
import { GET as queryProviders } from './route'

const BASE = 'http://localhost:3000/api/identity/v1/identity-providers'
type Problem = { status: number; errorCode: string; errors?: Record<string, string[]> }

const headers = (token: string | null): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {})
const list = async (token: string | null, query = '') => {
  const response = await queryProviders(new Request(`${BASE}${query}`, { headers: headers(token) }), { params: Promise.resolve({}) })
  return { status: response.status, body: (await expectConforms('IdentityProvider_QueryIdentityProviders', response)) as Record<string, unknown> }
}
const read = async (token: string | null, key: string) => {
  const response = await readProvider(new Request(`${BASE}/${key}`, { headers: headers(token) }), { params: Promise.resolve({ key }) })
  return { status: response.status, body: (await expectConforms('IdentityProvider_ReadIdentityProvider', response)) as Problem }
}
const UNKNOWN = '00000000-0000-4000-8000-000000000000'

// Gatehouse has no external identity providers yet: the list is empty and every key is unknown,
// with the same authorization and validation as the other operations.
describe('GET /api/identity/v1/identity-providers and /identity-providers/{key}', () => {
  useTestDatabase()
  let token: string
  let noPermissions: string
  beforeAll(async () => {
    await setupOrganization()
    token = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.view', stages: ['QA'] }] }))
    noPermissions = await tokenFor(await insertApiClient())
  })

  it('lists no providers, as an empty last page', async () => {
    const { status, body } = await list(token, `?nameContains=google&key=${UNKNOWN}&limit=10&offset=5`)
    expect(status).toBe(200)
    expect(body).toEqual({ results: [], page: { count: 0, limit: 10, offset: 5, totalResults: 0, nextPageOffset: null, totalPages: 0 } })
  })

  it('refuses bad paging and a malformed key filter with field errors', async () => {
    for (const query of ['?limit=0', '?limit=101', '?offset=-1', '?key=not-a-key']) {
      const { status, body } = await list(token, query)
      expect(status, query).toBe(400)
      expect(Object.keys((body as Problem).errors ?? {}), query).toHaveLength(1)
    }
  })

  it('answers 404 for any key, 400 for a malformed one', async () => {
    expect((await read(token, UNKNOWN)).status).toBe(404)
    expect((await read(token, 'built-in')).status).toBe(400)
  })

  it('needs a token (401) and at least one permission (403)', async () => {
    expect((await list(null)).status).toBe(401)
    expect((await list(noPermissions)).status).toBe(403)
    expect((await read(null, UNKNOWN)).status).toBe(401)
    expect((await read(noPermissions, UNKNOWN)).status).toBe(403)
  })
})
