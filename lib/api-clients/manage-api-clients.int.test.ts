import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { apiClientPermissions, apiClients, apiClientSecrets, auditEvents, organizations } from '@/db/schema'
import { hasPermission } from '@/lib/authz'
import { withTransaction, type Ctx } from '@/lib/context'
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '@/lib/errors'
import { auditRows, createMember, rowCounts, stageKeyOf, type Member } from '@/test/factories'
import { anonymous, setupOrganization, useTestDatabase } from '@/test/harness'
import { authenticateClientSecret } from './authenticate'
import { createApiClient } from './create-api-client'
import { deleteApiClient } from './delete-api-client'
import { getApiClient } from './get-api-client'
import { setApiClientPermissions } from './set-api-client-permissions'
import { resumeApiClient, suspendApiClient } from './suspend-api-client'
import { updateApiClient } from './update-api-client'

const T0 = new Date('2026-03-10T09:30:00Z')
const at = (ctx: Ctx, now: Date): Ctx => ({ ...ctx, now: () => now })
const tables = { apiClients, apiClientSecrets, apiClientPermissions, auditEvents }

let n = 0
const uniqueName = (prefix = 'Client') => `${prefix} ${++n}`

async function authenticate(clientId: string, secret: string, now: Date) {
  return authenticateClientSecret(await getDb(), clientId, secret, now)
}

/** Whether the client, acting through the API, holds the permission now (as every API call asks). */
async function clientMay(clientKey: string, slug: string, target: { stageKey?: string } = {}) {
  const ctx: Ctx = { actor: { type: 'api_client', clientKey, label: 'client' } }
  return withTransaction(ctx, (tx, ctx) => hasPermission(tx, ctx, slug, target))
}

describe('managing API clients (APIC-1..9, UI-9)', () => {
  useTestDatabase()
  let admin: Ctx
  let developer: Member
  let qa: string
  let dev: string

  beforeAll(async () => {
    const org = await setupOrganization()
    developer = await createMember(org.admin)
    admin = at(org.admin, T0)
    qa = await stageKeyOf('QA')
    dev = await stageKeyOf('DEV')
  })

  it('creates a client, returns its secret once, stores only a hash and audits without the secret', async () => {
    const created = await createApiClient(admin, {
      name: 'Billing sync',
      description: 'Nightly export',
      expiresOn: '2026-06-30',
      permissions: [{ slug: 'users.view_members', stageKeys: null }, { slug: 'endusers.view', stageKeys: [qa] }],
    })
    expect(created.clientId).toMatch(/^[0-9a-f]{32}$/)
    expect(created.clientSecret.length).toBeGreaterThanOrEqual(43) // 256 bits, base64url
    // The secret stops at the very end of its expiry day, UTC (APIC-2).
    expect(created.expiresAt.toISOString()).toBe('2026-06-30T23:59:59.999Z')

    const db = await getDb()
    const [secretRow] = await db.select().from(apiClientSecrets).where(eq(apiClientSecrets.clientKey, created.clientKey))
    expect(secretRow.secretHash).not.toContain(created.clientSecret)
    expect(secretRow).toMatchObject({ remind: true, remindedAt: null, retiresAt: null })

    const [event] = await auditRows('api_client.created', created.clientKey)
    expect(event.changes).toEqual({
      after: { name: 'Billing sync', description: 'Nightly export', clientId: created.clientId, secretExpiresOn: '2026-06-30', remind: true, permissions: ['users.view_members', 'endusers.view@QA'] },
    })
    expect(JSON.stringify(event)).not.toContain(created.clientSecret)
    expect(JSON.stringify(event)).not.toContain(secretRow.secretHash)

    expect(await authenticate(created.clientId, created.clientSecret, T0)).toEqual({ clientKey: created.clientKey, name: 'Billing sync' })
    expect(await authenticate(created.clientId, created.clientSecret + 'x', T0)).toBeNull()
    expect(await authenticate('0'.repeat(32), created.clientSecret, T0)).toBeNull()
    // The secret works to the last millisecond of its day and not after.
    expect(await authenticate(created.clientId, created.clientSecret, new Date('2026-06-30T23:59:59.998Z'))).not.toBeNull()
    expect(await authenticate(created.clientId, created.clientSecret, new Date('2026-06-30T23:59:59.999Z'))).toBeNull()

    // Its permissions hold through the same evaluator as a member's, stage limits included.
    expect(await clientMay(created.clientKey, 'endusers.view', { stageKey: qa })).toBe(true)
    expect(await clientMay(created.clientKey, 'endusers.view', { stageKey: dev })).toBe(false)
    expect(await clientMay(created.clientKey, 'users.manage')).toBe(false)
  })

  it('defaults to a secret of 90 days with a reminder, and to no permissions (Needs attention)', async () => {
    const created = await createApiClient(admin, { name: uniqueName() })
    expect(created.expiresAt.toISOString()).toBe('2026-06-08T23:59:59.999Z')
    const detail = await getApiClient(admin, { clientKey: created.clientKey })
    expect(detail).toMatchObject({ status: 'Needs attention', permissions: [], secret: { remind: true }, description: '' })
    expect(JSON.stringify(detail)).not.toContain(created.clientSecret)
  })

  it('refuses bad input with field errors and changes nothing', async () => {
    await createApiClient(admin, { name: 'Taken name' })
    const before = await rowCounts(tables)
    for (const [input, field] of [
      [{ name: ' ' }, 'name'],
      [{ name: 'x', expiresOn: '2026/12/01' }, 'expiresOn'],
      [{ name: 'x', expiresOn: '2026-02-30' }, 'expiresOn'],
      [{ name: 'x', expiresOn: '2026-03-09' }, 'expiresOn'], // yesterday
      [{ name: 'x', expiresOn: '2028-03-11' }, 'expiresOn'], // 24 months and a day
      [{ name: 'x', permissions: [{ slug: 'users.fly', stageKeys: null }] }, 'permissions'],
      [{ name: 'x', permissions: [{ slug: 'users.manage', stageKeys: [qa] }] }, 'permissions'], // no stage limits on it
      [{ name: 'x', permissions: [{ slug: 'endusers.view', stageKeys: ['00000000-0000-4000-8000-000000000000'] }] }, 'permissions'],
      [{ name: 'x', remind: 'maybe' }, 'remind'],
      [{ name: 'x', clientSecret: 'mine' }, 'form'],
      [{ name: 'TAKEN NAME' }, 'name'],
    ] as const) {
      const error = await createApiClient(admin, input).catch((e) => e)
      expect(error, JSON.stringify(input)).toBeInstanceOf(error instanceof ConflictError ? ConflictError : ValidationError)
      expect(Object.keys(error.fieldErrors), JSON.stringify(input)).toContain(field)
    }
    expect(await rowCounts(tables)).toEqual(before)
    // Today and 24 months ahead are both allowed.
    await createApiClient(admin, { name: uniqueName(), expiresOn: '2026-03-10' })
    await createApiClient(admin, { name: uniqueName(), expiresOn: '2028-03-10' })
  })

  it('refuses members without Manage API clients and the signed-out, before looking anything up', async () => {
    const before = await rowCounts(tables)
    await expect(createApiClient(developer.ctx(), { name: uniqueName() })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(createApiClient(anonymous(), { name: uniqueName() })).rejects.toBeInstanceOf(UnauthenticatedError)
    await expect(getApiClient(developer.ctx(), { clientKey: '00000000-0000-4000-8000-000000000000' })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(getApiClient(admin, { clientKey: '00000000-0000-4000-8000-000000000000' })).rejects.toBeInstanceOf(NotFoundError)
    expect(await rowCounts(tables)).toEqual(before)
  })

  it('renames with optimistic concurrency and unique names, auditing only what changed', async () => {
    const { clientKey } = await createApiClient(admin, { name: 'Rename me' })
    const { version } = await updateApiClient(admin, { clientKey, name: 'Renamed', description: 'Now described', version: 1 })
    expect(version).toBe(2)
    const [event] = await auditRows('api_client.updated', clientKey)
    expect(event.changes).toEqual({ before: { name: 'Rename me', description: '' }, after: { name: 'Renamed', description: 'Now described' } })
    // Saving the same again writes nothing.
    await updateApiClient(admin, { clientKey, name: 'Renamed', description: 'Now described', version: 2 })
    expect(await auditRows('api_client.updated', clientKey)).toHaveLength(1)

    const stale = await updateApiClient(admin, { clientKey, name: 'Other', version: 1 }).catch((e) => e)
    expect(stale).toBeInstanceOf(ConflictError)
    expect(stale.message).toMatch(/changed by someone else/)
    const taken = await updateApiClient(admin, { clientKey, name: 'billing SYNC', version: 2 }).catch((e) => e)
    expect(taken.fieldErrors.name[0]).toMatch(/already has this name/)
    const results = await Promise.allSettled([updateApiClient(admin, { clientKey, name: 'One', version: 2 }), updateApiClient(admin, { clientKey, name: 'Two', version: 2 })])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect((await getApiClient(admin, { clientKey })).version).toBe(3)
  })

  it('changes permissions for the next call and audits what was added and removed', async () => {
    const { clientKey } = await createApiClient(admin, { name: uniqueName(), permissions: [{ slug: 'endusers.manage_access', stageKeys: [qa] }, { slug: 'users.view_members', stageKeys: null }] })
    expect(await clientMay(clientKey, 'endusers.view', { stageKey: qa })).toBe(true) // inherited
    const change = await setApiClientPermissions(admin, { clientKey, version: 1, permissions: JSON.stringify([{ slug: 'endusers.view', stageKeys: [qa, dev] }, { slug: 'users.view_members', stageKeys: null }]) })
    expect(change).toEqual({ version: 2, added: ['endusers.view@DEV'], removed: ['endusers.manage_access@QA'] })
    expect(await clientMay(clientKey, 'endusers.manage_access', { stageKey: qa })).toBe(false)
    expect(await clientMay(clientKey, 'endusers.view', { stageKey: dev })).toBe(true)
    const [event] = await auditRows('api_client.permissions_changed', clientKey)
    expect(event.changes).toEqual({
      before: { permissions: ['users.view_members', 'endusers.manage_access@QA'] },
      after: { permissions: ['users.view_members', 'endusers.view@DEV,QA'] },
      impact: { added: ['endusers.view@DEV'], removed: ['endusers.manage_access@QA'] },
    })
    // Unknown permissions and stale versions change nothing.
    const before = await rowCounts(tables)
    await expect(setApiClientPermissions(admin, { clientKey, permissions: [{ slug: 'nope', stageKeys: null }] })).rejects.toBeInstanceOf(ValidationError)
    await expect(setApiClientPermissions(admin, { clientKey, version: 1, permissions: [] })).rejects.toBeInstanceOf(ConflictError)
    expect(await rowCounts(tables)).toEqual(before)
    // Removing every permission leaves a client that needs attention.
    await setApiClientPermissions(admin, { clientKey, permissions: [] })
    expect((await getApiClient(admin, { clientKey })).status).toBe('Needs attention')
  })

  it('suspends, resumes and deletes: the secret stops, works again, and is gone (APIC-8, APIC-9)', async () => {
    const c = await createApiClient(admin, { name: uniqueName(), permissions: [{ slug: 'users.view_members', stageKeys: null }] })
    await suspendApiClient(admin, { clientKey: c.clientKey })
    expect(await authenticate(c.clientId, c.clientSecret, T0)).toBeNull()
    expect((await getApiClient(admin, { clientKey: c.clientKey })).status).toBe('Suspended')
    // Suspending again changes nothing.
    await suspendApiClient(admin, { clientKey: c.clientKey })
    expect(await auditRows('api_client.suspended', c.clientKey)).toHaveLength(1)
    // A suspended client's tokens are refused on the next call (lib/authz re-reads the client).
    await expect(clientMay(c.clientKey, 'users.view_members')).rejects.toBeInstanceOf(UnauthenticatedError)

    await resumeApiClient(admin, { clientKey: c.clientKey })
    expect(await authenticate(c.clientId, c.clientSecret, T0)).toEqual({ clientKey: c.clientKey, name: expect.any(String) })
    expect(await clientMay(c.clientKey, 'users.view_members')).toBe(true)
    const [suspended] = await auditRows('api_client.suspended', c.clientKey)
    const [resumed] = await auditRows('api_client.resumed', c.clientKey)
    expect(suspended.changes).toEqual({ before: { suspended: false }, after: { suspended: true } })
    expect(resumed.changes).toEqual({ before: { suspended: true }, after: { suspended: false } })

    await deleteApiClient(admin, { clientKey: c.clientKey })
    expect(await authenticate(c.clientId, c.clientSecret, T0)).toBeNull()
    await expect(clientMay(c.clientKey, 'users.view_members')).rejects.toBeInstanceOf(UnauthenticatedError)
    const db = await getDb()
    expect(await db.select().from(apiClientSecrets).where(eq(apiClientSecrets.clientKey, c.clientKey))).toEqual([])
    const [deleted] = await auditRows('api_client.deleted', c.clientKey)
    expect(deleted.changes).toMatchObject({ before: { clientId: c.clientId, suspended: false, permissions: ['users.view_members'] } })
    expect(JSON.stringify(deleted)).not.toContain(c.clientSecret)
    await expect(deleteApiClient(admin, { clientKey: c.clientKey })).rejects.toBeInstanceOf(NotFoundError)
  })

  it('resuming a client whose secret expired while suspended leaves it Expired', async () => {
    const c = await createApiClient(admin, { name: uniqueName(), expiresOn: '2026-03-20', permissions: [{ slug: 'users.view_members', stageKeys: null }] })
    await suspendApiClient(admin, { clientKey: c.clientKey })
    const later = at(admin, new Date('2026-03-21T00:00:00Z'))
    await resumeApiClient(later, { clientKey: c.clientKey })
    expect((await getApiClient(later, { clientKey: c.clientKey })).status).toBe('Expired')
    expect(await authenticate(c.clientId, c.clientSecret, new Date('2026-03-21T00:00:00Z'))).toBeNull()
  })

  it('refuses the client after the limit: at most 35 by default, counted under a lock (APIC-1)', async () => {
    const db = await getDb()
    const count = async () => (await rowCounts({ apiClients })).apiClients
    const [org] = await db.select({ limit: organizations.apiClientLimit }).from(organizations)
    expect(org.limit).toBe(35)
    // Fill up to 34, then race two creations for the 35th place: exactly one wins.
    while ((await count()) < 34) await createApiClient(admin, { name: uniqueName('Filler') })
    const race = await Promise.allSettled([createApiClient(admin, { name: uniqueName('Racer') }), createApiClient(admin, { name: uniqueName('Racer') })])
    expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(await count()).toBe(35)
    const before = await rowCounts(tables)
    const error = await createApiClient(admin, { name: uniqueName() }).catch((e) => e)
    expect(error).toBeInstanceOf(ConflictError)
    expect(error.message).toBe('An organization can have at most 35 API clients; delete one first.')
    expect(await rowCounts(tables)).toEqual(before)
  })
})
