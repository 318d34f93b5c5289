import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { bulkUserOperations, rateLimitWindows } from '@/db/schema'
import { issueClientToken } from '@/lib/api/issue-client-token'
import { insertApiClient, toNextMinute } from '@/lib/api/testing'
import { advanceTestClock, resetTestClock } from '@/lib/clock'
import { systemCtx } from '@/lib/context'
import { expectConforms } from '@/test/contract'
import { rowCounts } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { GET } from './[key]/route'
import { POST } from './route'

// POST /users/bulk has its own bucket, 5 calls a minute for the organization (REST-9, LIM-1), and
// each call counts toward the identity API's 100 as well; reading an operation counts only there.
vi.hoisted(() => {
  process.env.GATEHOUSE_TEST_CLOCK = '1'
})

const BASE = 'http://localhost:3000/api/identity/v1/users/bulk'
const post = (token: string, n: number) =>
  POST(new Request(BASE, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ records: [{ email: `limited.${n}@bulk.test` }] }) }), { params: Promise.resolve({}) })
const get = (token: string, key: string) => GET(new Request(`${BASE}/${key}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ key }) })

describe('POST /users/bulk: rate limit', () => {
  const database = useTestDatabase()
  let token: string
  beforeAll(async () => {
    await setupOrganization()
    const client = await insertApiClient({ permissions: [{ slug: 'users.manage' }] })
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret })
    token = (await issueClientToken(systemCtx('test'), form)).access_token
  })
  afterAll(() => {
    resetTestClock()
    delete process.env.GATEHOUSE_TEST_CLOCK
  })

  it('accepts 5 calls a minute; the 6th is a 429 that accepts nothing; the next minute works again', async () => {
    toNextMinute()
    const keys: string[] = []
    for (let i = 0; i < 5; i++) {
      const response = await post(token, i)
      expect(response.status).toBe(202)
      expect(response.headers.get('ratelimit-remaining')).toBe(String(4 - i))
      keys.push(((await expectConforms('BulkUserProfile_CreateBulkUserProfilesOperation', response)) as { key: string }).key)
    }
    const before = await rowCounts({ bulkUserOperations })
    advanceTestClock(10_000)
    const refused = await post(token, 5)
    expect(refused.status).toBe(429)
    // 50 seconds left in the window, less the time the calls above took on a busy machine.
    const retryAfter = Number(refused.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThanOrEqual(40)
    expect(retryAfter).toBeLessThanOrEqual(50)
    expect(await expectConforms('BulkUserProfile_CreateBulkUserProfilesOperation', refused)).toMatchObject({
      status: 429,
      errorCode: 'GH-ID-RATE-42901',
      detail: `Too many requests: this organization may send 5 bulk user creation requests a minute. Try again in ${retryAfter} seconds.`,
    })
    expect(await rowCounts({ bulkUserOperations })).toEqual(before)

    // Reading operations is not limited by the bulk bucket.
    const read = await get(token, keys[0])
    expect(read.status).toBe(200)
    await expectConforms('BulkUserProfile_GetBulkUserProfileOperationStatus', read)

    // Every bulk call also counted toward the identity API: 6 posts and the read.
    const windows = await database.current().db.select().from(rateLimitWindows).where(eq(rateLimitWindows.bucket, 'identity'))
    expect(windows.map((w) => w.count)).toEqual([7])

    toNextMinute()
    const again = await post(token, 6)
    expect(again.status).toBe(202)
    await expectConforms('BulkUserProfile_CreateBulkUserProfilesOperation', again)
  })
})
