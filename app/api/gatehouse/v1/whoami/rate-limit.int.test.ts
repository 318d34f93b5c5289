import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { organizations, rateLimitWindows } from '@/db/schema'
import { issueClientToken } from '@/lib/api/issue-client-token'
import { insertApiClient, toNextMinute } from '@/lib/api/testing'
import { advanceTestClock, resetTestClock } from '@/lib/clock'
import { systemCtx } from '@/lib/context'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { GET } from './route'

// API-3 through a real route: GET /api/gatehouse/v1/whoami counts in the organization's `gatehouse`
// bucket (the same limit as the identity API, 100 a minute unless the organization says otherwise).
// The test clock (lib/clock.ts) puts each test at the start of a fresh minute and moves past it.
vi.hoisted(() => {
  process.env.GATEHOUSE_TEST_CLOCK = '1'
})

const URL_ = 'http://localhost:3000/api/gatehouse/v1/whoami'
const call = (token: string | null) => GET(new Request(URL_, { headers: token ? { authorization: `Bearer ${token}` } : {} }), { params: Promise.resolve({}) })
const rateHeaders = (response: Response) => ({
  limit: response.headers.get('ratelimit-limit'),
  remaining: response.headers.get('ratelimit-remaining'),
  reset: response.headers.get('ratelimit-reset'),
})

describe('GET /api/gatehouse/v1/whoami: rate limits (API-3)', () => {
  const database = useTestDatabase()
  const db = () => database.current().db
  let token: string
  beforeAll(async () => {
    await setupOrganization()
    const client = await insertApiClient({ name: 'Busy bot' })
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret })
    token = (await issueClientToken(systemCtx('test'), form)).access_token
  })
  beforeEach(async () => {
    await db().update(organizations).set({ apiRateLimit: 5 })
    toNextMinute()
  })
  afterAll(() => {
    resetTestClock()
    delete process.env.GATEHOUSE_TEST_CLOCK
  })

  it('100 a minute by default: every answer says the limit, what is left and when it resets', async () => {
    await db().update(organizations).set({ apiRateLimit: 100 })
    const first = await call(token)
    expect(first.status).toBe(200)
    expect(rateHeaders(first)).toEqual({ limit: '100', remaining: '99', reset: '60' })
    advanceTestClock(20_000)
    expect(rateHeaders(await call(token))).toEqual({ limit: '100', remaining: '98', reset: '40' })
  })

  it('counts down; the request over the limit is a 429 problem with Retry-After; the next minute works again', async () => {
    const remaining: Array<string | null> = []
    for (let i = 0; i < 5; i++) {
      const response = await call(token)
      expect(response.status).toBe(200)
      expect(response.headers.get('ratelimit-limit')).toBe('5')
      remaining.push(response.headers.get('ratelimit-remaining'))
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0'])

    advanceTestClock(15_000)
    const refused = await call(token)
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('45')
    expect(rateHeaders(refused)).toEqual({ limit: '5', remaining: '0', reset: '45' })
    expect(refused.headers.get('content-type')).toMatch(/^application\/json/)
    expect(refused.headers.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/)
    const body = await refused.json()
    expect(Object.keys(body).sort()).toEqual(['detail', 'errorCode', 'instance', 'status', 'title', 'traceId', 'type'])
    expect(body).toMatchObject({
      type: 'https://tools.ietf.org/html/rfc6585#section-4',
      title: 'Too Many Requests',
      status: 429,
      errorCode: 'GH-GH-RATE-42901',
      instance: '/api/gatehouse/v1/whoami',
      traceId: refused.headers.get('x-trace-id'),
      detail: 'Too many requests: this organization may send 5 requests to the Gatehouse API a minute. Try again in 45 seconds.',
    })
    // Still refused later in the same minute.
    advanceTestClock(40_000)
    expect((await call(token)).headers.get('retry-after')).toBe('5')

    advanceTestClock(5_000)
    const again = await call(token)
    expect(again.status).toBe(200)
    expect(rateHeaders(again)).toEqual({ limit: '5', remaining: '4', reset: '60' })
  })

  it('an unauthenticated request is refused before counting and carries no RateLimit headers', async () => {
    for (let i = 0; i < 10; i++) {
      const refused = await call(i % 2 ? null : 'not.a.token')
      expect(refused.status).toBe(401)
      expect(rateHeaders(refused)).toEqual({ limit: null, remaining: null, reset: null })
    }
    expect(rateHeaders(await call(token))).toMatchObject({ limit: '5', remaining: '4' })
  })

  it('a change of the organization limit applies to the next request', async () => {
    expect(rateHeaders(await call(token))).toMatchObject({ limit: '5', remaining: '4' })
    await db().update(organizations).set({ apiRateLimit: 3 })
    expect(rateHeaders(await call(token))).toMatchObject({ limit: '3', remaining: '1' })
    expect((await call(token)).status).toBe(200)
    expect((await call(token)).status).toBe(429)
    // Counted in the gatehouse bucket only.
    expect(new Set((await db().select().from(rateLimitWindows)).map((r) => r.bucket))).toEqual(new Set(['gatehouse']))
  })
})
