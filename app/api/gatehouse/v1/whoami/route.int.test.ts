import { beforeAll, describe, expect, it } from 'vitest'
import { deleteApiClientRow, insertApiClient, setApiClientPermissions, setApiClientSuspended, type TestApiClient, tokenFor } from '@/lib/api/testing'
import { stageKeyOf } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { GET } from './route'

const URL_ = 'http://localhost:3000/api/gatehouse/v1/whoami'
const call = (token: string | null, headers: Record<string, string> = {}) =>
  GET(new Request(URL_, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } }), { params: Promise.resolve({}) })

async function problem(response: Response, status: number, errorCode: string) {
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  const text = await response.text()
  expect(text).not.toMatch(/\n\s+at |\.ts:\d+/)
  const body = JSON.parse(text)
  expect(Object.keys(body).sort()).toEqual(['detail', 'errorCode', 'instance', 'status', 'title', 'traceId', 'type'])
  expect(body).toMatchObject({ status, errorCode, instance: '/api/gatehouse/v1/whoami', traceId: response.headers.get('x-trace-id') })
  expect(body.traceId).toMatch(/^[0-9a-f]{32}$/)
  return body
}

describe('GET /api/gatehouse/v1/whoami: the authenticated API pipeline end to end', () => {
  useTestDatabase()
  let client: TestApiClient
  let qa: string
  beforeAll(async () => {
    await setupOrganization()
    qa = await stageKeyOf('QA')
    client = await insertApiClient({ name: 'Provisioning bot', permissions: [{ slug: 'users.view_members' }, { slug: 'endusers.view', stages: ['QA'] }] })
  })

  it('answers who the client is and what it holds now, with a trace id and no caching', async () => {
    const response = await call(await tokenFor(client))
    expect(response.status).toBe(200)
    expect(response.headers.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(await response.json()).toEqual({
      clientId: client.clientId,
      name: 'Provisioning bot',
      permissions: [
        { slug: 'users.view_members', stageKeys: null },
        { slug: 'endusers.view', stageKeys: [qa] },
      ],
    })
  })

  it("keeps the caller's W3C trace id", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
    const response = await call(await tokenFor(client), { traceparent: `00-${traceId}-00f067aa0ba902b7-01` })
    expect(response.headers.get('x-trace-id')).toBe(traceId)
  })

  it('no token: a 401 problem with a Bearer challenge', async () => {
    const response = await call(null)
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse-api"')
    await problem(response, 401, 'GH-GH-AUTH-40101')
    const bad = await call('not.a.token')
    expect(bad.headers.get('www-authenticate')).toMatch(/error="invalid_token"/)
    await problem(bad, 401, 'GH-GH-AUTH-40102')
  })

  it('a permission change applies to the very next call with the same token (APIC-4)', async () => {
    const token = await tokenFor(client)
    await setApiClientPermissions(client.key, [{ slug: 'users.manage' }])
    expect((await (await call(token)).json()).permissions).toEqual([{ slug: 'users.manage', stageKeys: null }])
    await setApiClientPermissions(client.key, [])
    expect((await (await call(token)).json()).permissions).toEqual([])
  })

  it('suspending refuses the token at once; resuming makes it work again (APIC-8)', async () => {
    const other = await insertApiClient()
    const token = await tokenFor(other)
    expect((await call(token)).status).toBe(200)
    await setApiClientSuspended(other.key, true)
    await problem(await call(token), 401, 'GH-GH-AUTH-40104')
    await setApiClientSuspended(other.key, false)
    expect((await call(token)).status).toBe(200)
  })

  it("a deleted client's token stops working (APIC-9)", async () => {
    const doomed = await insertApiClient()
    const token = await tokenFor(doomed)
    expect((await call(token)).status).toBe(200)
    await deleteApiClientRow(doomed.key)
    await problem(await call(token), 401, 'GH-GH-AUTH-40104')
  })

  it('answers generated bad Authorization headers with a 401 problem, never a 500 (Q-3)', async () => {
    const real = await tokenFor(client)
    const [h, p] = real.split('.')
    let seed = 7
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    const junk = (n: number) => Array.from({ length: n }, () => String.fromCharCode(0x21 + Math.floor(random() * 94))).join('')
    const candidates = [
      () => `Bearer ${junk(Math.floor(random() * 200))}`,
      () => `Bearer ${h}.${p}.${junk(86)}`,
      () => `Bearer ${h}.${Buffer.from(junk(50)).toString('base64url')}.${real.split('.')[2]}`,
      () => `Bearer ${Buffer.from(JSON.stringify({ alg: 'ES256', kid: junk(20) })).toString('base64url')}.${p}.${junk(86)}`,
      () => `Bearer ${Buffer.from(JSON.stringify({ alg: 'ES256', kid: junk(2000) })).toString('base64url')}.${p}.x`,
      () => `${junk(6)} ${real}`,
    ]
    for (let i = 0; i < 120; i++) {
      const authorization = candidates[i % candidates.length]()
      const response = await GET(new Request(URL_, { headers: { authorization } }), { params: Promise.resolve({}) })
      expect(response.status).toBe(401)
      expect((await response.json()).errorCode).toMatch(/^GH-GH-AUTH-4010[12]$/)
    }
  })
})
