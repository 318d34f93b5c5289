import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { organizations, rateLimitWindows } from '@/db/schema'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { resetTestClock } from '../clock'
import { systemCtx } from '../context'
import { apiHandler } from './handler'
import { issueClientToken } from './issue-client-token'
import { RETAIN_WINDOWS_MS, takeApiRequest, takeRequest, WINDOW_MS, windowStartOf } from './rate-limit'
import { insertApiClient, toNextMinute } from './testing'

// The handler reads lib/clock.ts; these tests move it to the start of a minute.
vi.hoisted(() => {
  process.env.GATEHOUSE_TEST_CLOCK = '1'
})
afterAll(() => {
  resetTestClock()
  delete process.env.GATEHOUSE_TEST_CLOCK
})

// A minute boundary far from the real clock, so the windows these tests make are theirs alone.
const T0 = new Date('2031-05-06T07:08:00.000Z')
const at = (ms: number) => new Date(T0.getTime() + ms)

// One database (and one organization) for the whole file.
describe('API rate limits (API-3)', () => {
  const database = useTestDatabase()
  const db = () => database.current().db
  beforeAll(async () => {
    await setupOrganization()
  })

  describe('takeRequest: fixed one-minute windows counted in PostgreSQL', () => {
    beforeEach(async () => {
      await db().delete(rateLimitWindows)
    })

    it('counts down within a minute, refuses over the limit, and starts again the next minute', async () => {
      const states = []
      for (let i = 0; i < 4; i++) states.push(await takeRequest(db(), { bucket: 'identity', limit: 3, now: at(15_000 + i * 1000) }))
      expect(states.map((s) => [s.allowed, s.remaining])).toEqual([
        [true, 2],
        [true, 1],
        [true, 0],
        [false, 0],
      ])
      expect(states.map((s) => s.limit)).toEqual([3, 3, 3, 3])
      // Seconds to the end of the window, rounded up: 45 s at :15, 42 s at :18.
      expect(states[0].resetSeconds).toBe(45)
      expect(states[3].resetSeconds).toBe(42)
      expect((await takeRequest(db(), { bucket: 'identity', limit: 3, now: at(59_999) })).resetSeconds).toBe(1)

      const next = await takeRequest(db(), { bucket: 'identity', limit: 3, now: at(WINDOW_MS) })
      expect(next).toEqual({ allowed: true, limit: 3, remaining: 2, resetSeconds: 60 })
    })

    it('keeps one count per bucket', async () => {
      await takeRequest(db(), { bucket: 'identity', limit: 10, now: at(1000) })
      await takeRequest(db(), { bucket: 'identity', limit: 10, now: at(2000) })
      expect((await takeRequest(db(), { bucket: 'gatehouse', limit: 10, now: at(3000) })).remaining).toBe(9)
      expect((await takeRequest(db(), { bucket: 'identity', limit: 10, now: at(4000) })).remaining).toBe(7)
    })

    it('concurrent requests never get more than the limit: 20 at once with a limit of 5 → exactly 5 allowed', async () => {
      const states = await Promise.all(Array.from({ length: 20 }, () => takeRequest(db(), { bucket: 'gatehouse', limit: 5, now: at(30_000) })))
      expect(states.filter((s) => s.allowed)).toHaveLength(5)
      expect(states.filter((s) => s.allowed).map((s) => s.remaining).sort()).toEqual([0, 1, 2, 3, 4])
      const [row] = await db().select().from(rateLimitWindows).where(eq(rateLimitWindows.bucket, 'gatehouse'))
      expect(row).toMatchObject({ windowStart: T0, count: 20 })
    })

    it('deletes windows older than a few minutes when a new window starts', async () => {
      await takeRequest(db(), { bucket: 'identity', limit: 10, now: at(0) })
      await takeRequest(db(), { bucket: 'bulk', limit: 10, now: at(WINDOW_MS) })
      await takeRequest(db(), { bucket: 'identity', limit: 10, now: at(RETAIN_WINDOWS_MS) })
      expect(await db().select().from(rateLimitWindows)).toHaveLength(3)
      // Another request in a window that has started deletes nothing.
      await takeRequest(db(), { bucket: 'identity', limit: 10, now: at(RETAIN_WINDOWS_MS + WINDOW_MS + 1000) })
      await takeRequest(db(), { bucket: 'identity', limit: 10, now: at(RETAIN_WINDOWS_MS + WINDOW_MS + 2000) })
      const rows = await db().select().from(rateLimitWindows)
      expect(rows.map((r) => [r.bucket, r.windowStart.getTime() - T0.getTime()]).sort()).toEqual([
        ['bulk', WINDOW_MS],
        ['identity', RETAIN_WINDOWS_MS],
        ['identity', RETAIN_WINDOWS_MS + WINDOW_MS],
      ])
    })

    it('windows start on whole minutes', () => {
      expect(windowStartOf(new Date('2031-05-06T07:08:59.999Z'))).toEqual(T0)
      expect(windowStartOf(T0)).toEqual(T0)
    })
  })

  describe('takeApiRequest: the organization buckets (REST-9)', () => {
    beforeEach(async () => {
      await db().delete(rateLimitWindows)
      await db().update(organizations).set({ apiRateLimit: 100, bulkRateLimit: 5 })
    })

    it("uses the organization's limits: 100 a minute for the API, 5 for bulk creation, by default", async () => {
      expect(await takeApiRequest(db(), { buckets: ['identity'], now: at(0) })).toMatchObject({ bucket: 'identity', allowed: true, limit: 100, remaining: 99 })
      expect(await takeApiRequest(db(), { buckets: ['identity', 'bulk'], now: at(1) })).toMatchObject({ bucket: 'bulk', allowed: true, limit: 5, remaining: 4 })
    })

    it('bulk calls have their own count and count toward the total', async () => {
      await db().update(organizations).set({ apiRateLimit: 8, bulkRateLimit: 2 })
      const bulk = () => takeApiRequest(db(), { buckets: ['identity', 'bulk'], now: at(5000) })
      const plain = () => takeApiRequest(db(), { buckets: ['identity'], now: at(5000) })

      expect(await bulk()).toMatchObject({ bucket: 'bulk', allowed: true, remaining: 1 })
      expect(await plain()).toMatchObject({ bucket: 'identity', allowed: true, remaining: 6 })
      expect(await bulk()).toMatchObject({ bucket: 'bulk', allowed: true, remaining: 0 })
      // The third bulk call is refused by the bulk bucket; it has been counted as an identity call.
      expect(await bulk()).toMatchObject({ bucket: 'bulk', allowed: false, limit: 2, remaining: 0, resetSeconds: 55 })
      expect(await plain()).toMatchObject({ bucket: 'identity', allowed: true, remaining: 3 })
      for (let i = 0; i < 3; i++) expect((await plain()).allowed).toBe(true)
      expect(await plain()).toMatchObject({ bucket: 'identity', allowed: false, limit: 8, remaining: 0 })

      // Another API's bucket is not this one.
      expect(await takeApiRequest(db(), { buckets: ['gatehouse'], now: at(5000) })).toMatchObject({ bucket: 'gatehouse', allowed: true, limit: 8, remaining: 7 })
    })

    it('a call refused by the identity bucket is not counted as a bulk call', async () => {
      await db().update(organizations).set({ apiRateLimit: 1, bulkRateLimit: 3 })
      expect((await takeApiRequest(db(), { buckets: ['identity'], now: at(0) })).allowed).toBe(true)
      expect(await takeApiRequest(db(), { buckets: ['identity', 'bulk'], now: at(0) })).toMatchObject({ bucket: 'identity', allowed: false })
      const rows = await db().select().from(rateLimitWindows)
      expect(rows.map((r) => [r.bucket, r.count])).toEqual([['identity', 2]])
      // Next minute the bulk bucket is untouched: 3 left before this call.
      expect(await takeApiRequest(db(), { buckets: ['identity', 'bulk'], now: at(WINDOW_MS) })).toMatchObject({ allowed: true, remaining: 0, bucket: 'identity' })
      expect((await db().select().from(rateLimitWindows).where(eq(rateLimitWindows.bucket, 'bulk')))[0].count).toBe(1)
    })
  })

  describe('apiHandler: rate limits of a route', () => {
    let token: string
    beforeAll(async () => {
      const client = await insertApiClient()
      token = (await issueClientToken(systemCtx('test'), new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret }))).access_token
    })
    beforeEach(async () => {
      await db().delete(rateLimitWindows)
      toNextMinute()
    })

    type Handler = (request: Request, context: { params: Promise<Record<string, never>> }) => Promise<Response>
  const post = (handler: Handler, path: string, authorized = true) =>
      handler(new Request(`http://localhost:3000${path}`, { method: 'POST', headers: authorized ? { authorization: `Bearer ${token}` } : {} }), { params: Promise.resolve({}) })

    it('a bulk route counts in the bulk bucket and the identity bucket, and reports the one closer to its limit', async () => {
      await db().update(organizations).set({ apiRateLimit: 10, bulkRateLimit: 2 })
      const operation = vi.fn(async () => Response.json({ key: 'job' }, { status: 202 }))
      const bulk = apiHandler(operation, { api: 'identity', rateLimit: 'bulk' })
      const list = apiHandler(async () => Response.json({ results: [] }), { api: 'identity' })

      const first = await post(bulk, '/api/identity/v1/users/bulk')
      expect(first.status).toBe(202)
      expect([first.headers.get('ratelimit-limit'), first.headers.get('ratelimit-remaining')]).toEqual(['2', '1'])
      expect(first.headers.get('ratelimit-reset')).toBe('60')
      const other = await post(list, '/api/identity/v1/users')
      expect([other.headers.get('ratelimit-limit'), other.headers.get('ratelimit-remaining')]).toEqual(['10', '8'])

      expect((await post(bulk, '/api/identity/v1/users/bulk')).status).toBe(202)
      const refused = await post(bulk, '/api/identity/v1/users/bulk')
      expect(operation).toHaveBeenCalledTimes(2)
      expect(refused.status).toBe(429)
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(50)
      expect(refused.headers.get('ratelimit-remaining')).toBe('0')
      expect(await refused.json()).toMatchObject({ status: 429, errorCode: 'GH-ID-RATE-42901', detail: expect.stringMatching(/2 bulk user creation requests a minute/) })
    })

    it('an unauthenticated request is not counted and carries no RateLimit headers', async () => {
      const handler = apiHandler(async () => Response.json({}))
      const refused = await post(handler, '/api/gatehouse/v1/things', false)
      expect(refused.status).toBe(401)
      expect(refused.headers.get('ratelimit-limit')).toBeNull()
      expect(await db().select().from(rateLimitWindows)).toEqual([])
    })
  })
})
