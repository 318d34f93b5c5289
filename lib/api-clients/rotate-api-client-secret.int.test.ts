import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { apiClientSecrets } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { ValidationError } from '@/lib/errors'
import { auditRows, rowCounts } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { authenticateClientSecret } from './authenticate'
import { createApiClient } from './create-api-client'
import { getApiClient } from './get-api-client'
import { rotateApiClientSecret } from './rotate-api-client-secret'

const T0 = new Date('2026-04-01T08:00:00Z')
const HOUR = 3_600_000
const at = (ctx: Ctx, now: Date): Ctx => ({ ...ctx, now: () => now })
const plus = (ms: number) => new Date(T0.getTime() + ms)

async function works(clientId: string, secret: string, now: Date) {
  return (await authenticateClientSecret(await getDb(), clientId, secret, now)) !== null
}

describe('rotating an API client secret (APIC-4, APIC-6)', () => {
  useTestDatabase()
  let admin: Ctx
  let n = 0
  const newClient = () => createApiClient(admin, { name: `Rotating ${++n}`, expiresOn: '2026-09-30', permissions: [{ slug: 'users.view_members', stageKeys: null }] })

  beforeAll(async () => {
    admin = at((await setupOrganization()).admin, T0)
  })

  it('without overlap, the old secret stops at once and the new one works', async () => {
    const c = await newClient()
    const rotated = await rotateApiClientSecret(admin, { clientKey: c.clientKey, expiresOn: '2026-12-31', remind: false, overlapHours: 0 })
    expect(rotated.clientId).toBe(c.clientId)
    expect(rotated.clientSecret).not.toBe(c.clientSecret)
    expect(rotated.expiresAt.toISOString()).toBe('2026-12-31T23:59:59.999Z')
    expect(await works(c.clientId, c.clientSecret, T0)).toBe(false)
    expect(await works(c.clientId, rotated.clientSecret, T0)).toBe(true)
    const detail = await getApiClient(admin, { clientKey: c.clientKey })
    expect(detail).toMatchObject({ status: 'Available', secret: { expiresAt: rotated.expiresAt, remind: false }, retiring: [] })

    const [event] = await auditRows('api_client.secret_rotated', c.clientKey)
    expect(event.changes).toEqual({ after: { secretExpiresOn: '2026-12-31', remind: false }, overlapHours: 0, previousSecretsRetireAt: T0.toISOString(), previousSecrets: 1 })
    const db = await getDb()
    const hashes = (await db.select({ h: apiClientSecrets.secretHash }).from(apiClientSecrets).where(eq(apiClientSecrets.clientKey, c.clientKey))).map((r) => r.h)
    for (const text of [c.clientSecret, rotated.clientSecret, ...hashes]) expect(JSON.stringify(event)).not.toContain(text)
  })

  it('with an overlap, the old secret works until the overlap ends, and only then', async () => {
    const c = await newClient()
    const rotated = await rotateApiClientSecret(admin, { clientKey: c.clientKey, expiresOn: '2026-10-31', overlapHours: '24' })
    expect(rotated.previousRetiresAt).toEqual(plus(24 * HOUR))
    expect(await works(c.clientId, c.clientSecret, plus(23 * HOUR))).toBe(true)
    expect(await works(c.clientId, rotated.clientSecret, plus(23 * HOUR))).toBe(true)
    expect(await works(c.clientId, c.clientSecret, plus(24 * HOUR))).toBe(false)
    expect(await works(c.clientId, rotated.clientSecret, plus(24 * HOUR))).toBe(true)
    expect((await getApiClient(admin, { clientKey: c.clientKey })).retiring).toEqual([{ retiresAt: plus(24 * HOUR), createdAt: T0 }])
    expect((await getApiClient(at(admin, plus(25 * HOUR)), { clientKey: c.clientKey })).retiring).toEqual([])
  })

  it('a second rotation cuts an earlier overlap short, never lengthens it', async () => {
    const c = await newClient()
    const first = await rotateApiClientSecret(admin, { clientKey: c.clientKey, overlapHours: 72 })
    const second = await rotateApiClientSecret(at(admin, plus(HOUR)), { clientKey: c.clientKey, overlapHours: 0 })
    // A leak response: everything before the last rotation stops now.
    expect(await works(c.clientId, c.clientSecret, plus(HOUR))).toBe(false)
    expect(await works(c.clientId, first.clientSecret, plus(HOUR))).toBe(false)
    expect(await works(c.clientId, second.clientSecret, plus(HOUR))).toBe(true)
    const third = await rotateApiClientSecret(at(admin, plus(2 * HOUR)), { clientKey: c.clientKey, overlapHours: 72 })
    expect(await works(c.clientId, second.clientSecret, plus(50 * HOUR))).toBe(true)
    expect(await works(c.clientId, third.clientSecret, plus(50 * HOUR))).toBe(true)
    expect(await works(c.clientId, c.clientSecret, plus(50 * HOUR))).toBe(false)
  })

  it('refuses an overlap beyond 72 hours and bad dates, changing nothing', async () => {
    const c = await newClient()
    const before = await rowCounts({ apiClientSecrets })
    for (const [input, field] of [
      [{ overlapHours: 73 }, 'overlapHours'],
      [{ overlapHours: -1 }, 'overlapHours'],
      [{ overlapHours: 1.5 }, 'overlapHours'],
      [{ expiresOn: '2026-03-31' }, 'expiresOn'],
      [{ expiresOn: '2028-04-02' }, 'expiresOn'],
    ] as const) {
      const error = await rotateApiClientSecret(admin, { clientKey: c.clientKey, ...input }).catch((e) => e)
      expect(error).toBeInstanceOf(ValidationError)
      expect(Object.keys(error.fieldErrors)).toContain(field)
    }
    expect(await rowCounts({ apiClientSecrets })).toEqual(before)
    expect(await works(c.clientId, c.clientSecret, T0)).toBe(true)
  })
})
