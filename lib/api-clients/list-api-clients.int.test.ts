import { beforeAll, describe, expect, it } from 'vitest'
import type { Ctx } from '@/lib/context'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { createApiClient } from './create-api-client'
import { getApiClient } from './get-api-client'
import { listApiClients } from './list-api-clients'
import { rotateApiClientSecret } from './rotate-api-client-secret'
import type { ApiClientStatus } from './status'
import { suspendApiClient } from './suspend-api-client'

const T0 = new Date('2026-05-01T12:00:00Z')
const DAY = 86_400_000
const at = (ctx: Ctx, now: Date): Ctx => ({ ...ctx, now: () => now })
const day = (n: number) => new Date(T0.getTime() + n * DAY)
const PERMS = [{ slug: 'users.view_members', stageKeys: null }]

describe('the API client list and derived statuses (APIC-7, UI-9)', () => {
  useTestDatabase()
  let admin: Ctx
  const keys: Record<string, string> = {}

  beforeAll(async () => {
    admin = at((await setupOrganization()).admin, T0)
    // Expiring on day 31 (end of 2026-05-31), day 11, with no permissions, suspended; and rotated with an overlap.
    keys.alpha = (await createApiClient(admin, { name: 'Alpha', expiresOn: '2026-05-31', permissions: PERMS })).clientKey
    keys.bravo = (await createApiClient(admin, { name: 'bravo', expiresOn: '2026-05-11', permissions: PERMS })).clientKey
    keys.charlie = (await createApiClient(admin, { name: 'Charlie', expiresOn: '2026-12-31' })).clientKey
    keys.delta = (await createApiClient(admin, { name: 'Delta', expiresOn: '2026-12-31', permissions: PERMS })).clientKey
    await suspendApiClient(admin, { clientKey: keys.delta })
    keys.echo = (await createApiClient(admin, { name: 'Echo', expiresOn: '2026-12-31', permissions: PERMS })).clientKey
    await rotateApiClientSecret(admin, { clientKey: keys.echo, expiresOn: '2026-05-05', overlapHours: 72 })
  })

  async function statuses(now: Date): Promise<Record<string, ApiClientStatus>> {
    const page = await listApiClients(at(admin, now), {})
    const fromList = Object.fromEntries(page.rows.map((r) => [r.name, r.status]))
    // The detail page derives the same status as the list.
    for (const row of page.rows) expect((await getApiClient(at(admin, now), { clientKey: row.key })).status).toBe(row.status)
    // And the status filter (the same rules in SQL) finds exactly those clients.
    for (const status of ['Available', 'Needs attention', 'Expired', 'Suspended'] as const) {
      const filtered = await listApiClients(at(admin, now), { status: status.toLowerCase().replace(' ', '-') })
      expect(filtered.rows.map((r) => r.name).sort(), `${status} at ${now.toISOString()}`).toEqual(page.rows.filter((r) => r.status === status).map((r) => r.name).sort())
      expect(filtered.total).toBe(filtered.rows.length)
    }
    return fromList
  }

  it('derives each status over time, the same in the list, the filter and the detail', async () => {
    expect(await statuses(T0)).toEqual({ Alpha: 'Available', bravo: 'Needs attention', Charlie: 'Needs attention', Delta: 'Suspended', Echo: 'Needs attention' })
    // 17 days later Alpha enters its 14-day window; bravo's secret has expired; Echo's new secret
    // has expired and its overlap is over, so nothing works.
    expect(await statuses(day(17))).toEqual({ Alpha: 'Needs attention', bravo: 'Expired', Charlie: 'Needs attention', Delta: 'Suspended', Echo: 'Expired' })
    expect(await statuses(day(31))).toEqual({ Alpha: 'Expired', bravo: 'Expired', Charlie: 'Needs attention', Delta: 'Suspended', Echo: 'Expired' })
  })

  it('lists by name ignoring case, with the secret expiry and permission count, searchable by name or client id', async () => {
    const page = await listApiClients(admin, {})
    expect(page.rows.map((r) => r.name)).toEqual(['Alpha', 'bravo', 'Charlie', 'Delta', 'Echo'])
    expect(page).toMatchObject({ total: 5, count: 5, limit: 35, next: null, previous: null })
    expect(page.rows[0]).toMatchObject({ permissionCount: 1, secretExpiresAt: new Date('2026-05-31T23:59:59.999Z') })
    expect(page.rows[2]).toMatchObject({ name: 'Charlie', permissionCount: 0 })
    expect((await listApiClients(admin, { q: 'RAV' })).rows.map((r) => r.name)).toEqual(['bravo'])
    expect((await listApiClients(admin, { q: page.rows[3].clientId.slice(4, 20) })).rows.map((r) => r.name)).toEqual(['Delta'])
    expect((await listApiClients(admin, { q: '%' })).rows).toEqual([])
    // An unknown status filters nothing.
    expect((await listApiClients(admin, { status: 'revoked' })).total).toBe(5)
  })

  it('pages by keyset in both directions', async () => {
    const first = await listApiClients(admin, { perPage: 10 })
    expect(first.rows).toHaveLength(5)
    // The smallest page is 10; walk with a cursor from the second row instead.
    const after = await listApiClients(admin, { after: Buffer.from(JSON.stringify(['bravo', keys.bravo])).toString('base64url') })
    expect(after.rows.map((r) => r.name)).toEqual(['Charlie', 'Delta', 'Echo'])
    expect(after.previous).not.toBeNull()
    const back = await listApiClients(admin, { before: after.previous! })
    expect(back.rows.map((r) => r.name)).toEqual(['Alpha', 'bravo'])
  })
})
