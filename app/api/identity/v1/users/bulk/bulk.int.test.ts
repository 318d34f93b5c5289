import { eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { bulkUserOperations, jobs, organizations, userCredentials, users } from '@/db/schema'
import { insertApiClient, type TestApiClient, tokenFor } from '@/lib/api/testing'
import { now } from '@/lib/clock'
import { jobHandlers } from '@/lib/jobs/handlers'
import { runDueJobs, STALE_CLAIM_MS } from '@/lib/jobs/runner'
import { BULK_CREATE_USERS_JOB, MAX_BULK_ATTEMPTS } from '@/lib/users/bulk-create-users'
import { expectConforms } from '@/test/contract'
import { auditRows, insertUsers, rowCounts, userRow } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { GET } from './[key]/route'
import { POST } from './route'

// POST /api/identity/v1/users/bulk (BulkUserProfile_CreateBulkUserProfilesOperation) and
// GET /users/bulk/{key} (BulkUserProfile_GetBulkUserProfileOperationStatus). The job runner is
// driven by the tests (runDueJobs), never by a timer.

const BASE = 'http://localhost:3000/api/identity/v1/users/bulk'
const CREATE = 'BulkUserProfile_CreateBulkUserProfilesOperation'
const STATUS = 'BulkUserProfile_GetBulkUserProfileOperationStatus'
type Operation = { status: string; errorCode: string | null; errorMessage: string | null; record: { key: string | null; email: string | null; username: string | null; subject: string | null } }
type BulkBody = { key: string; status: string; errorCode: string | null; errorMessage: string | null; operations: Operation[]; errors?: Record<string, string[]> }

const headers = (token: string | null, body?: boolean): Record<string, string> => ({ ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) })
const processJobs = (at = now()) => runDueJobs(at, jobHandlers)
const later = (ms: number) => new Date(now().getTime() + ms)

async function usersWithEmail(email: string) {
  const db = await getDb()
  return db.select().from(users).where(eq(sql`lower(${users.email})`, email.toLowerCase()))
}

async function jobOf(operationKey: string) {
  const db = await getDb()
  return (await db.select().from(jobs).where(eq(jobs.dedupeKey, `${BULK_CREATE_USERS_JOB}:${operationKey}`)))[0]
}

describe('POST /users/bulk and GET /users/bulk/{key}', () => {
  useTestDatabase()
  let manager = ''
  let otherManager = ''
  let viewer = ''
  let none = ''
  let managerClient: TestApiClient

  beforeAll(async () => {
    await setupOrganization()
    const db = await getDb()
    // These tests send far more than 5 bulk calls a minute; rate-limit.int.test.ts tests the limit.
    await db.update(organizations).set({ bulkRateLimit: 10_000, apiRateLimit: 10_000, internalDomains: ['staff.test'] })
    managerClient = await insertApiClient({ name: 'HR sync', permissions: [{ slug: 'users.manage' }] })
    manager = await tokenFor(managerClient)
    otherManager = await tokenFor(await insertApiClient({ permissions: [{ slug: 'users.manage' }] }))
    viewer = await tokenFor(await insertApiClient({ permissions: [{ slug: 'users.view_members' }, { slug: 'endusers.view' }] }))
    none = await tokenFor(await insertApiClient())
  })

  const post = async (body: unknown, token: string | null = manager, status = 202) => {
    const response = await POST(new Request(BASE, { method: 'POST', headers: headers(token, true), body: JSON.stringify(body) }), { params: Promise.resolve({}) })
    expect(response.status).toBe(status)
    if (status === 202) expect(response.headers.get('location')).toMatch(/^\/api\/identity\/v1\/users\/bulk\/[0-9a-f-]{36}$/)
    return (await expectConforms(CREATE, response)) as BulkBody
  }
  const get = async (key: string, token: string | null = manager, status = 200) => {
    const response = await GET(new Request(`${BASE}/${key}`, { headers: headers(token) }), { params: Promise.resolve({ key }) })
    expect(response.status).toBe(status)
    return (await expectConforms(STATUS, response)) as BulkBody
  }

  it('accepts the records as Pending, then reports every record in input order: Inserted, Updated or Error', async () => {
    const [existing] = await insertUsers([{ name: 'Already Here', email: 'existing@bulk.test' }])
    const accepted = await post({
      records: [
        { name: 'Ann Able', email: ' Ann@Bulk.test ', photoUrl: null, isActive: true, addToBuiltInIdentityProvider: false, identityProviderKey: null, subject: null, username: null },
        { name: 'Someone Else', email: 'EXISTING@bulk.test' },
        { name: 'First Dup', email: 'dup@bulk.test' },
        { name: 'Second Dup', email: 'Dup@Bulk.test' },
        { name: 'Renamed', email: 'existing@bulk.test', addToBuiltInIdentityProvider: true },
        { email: 'dup@bulk.test', addToBuiltInIdentityProvider: true },
        { name: 'Off Duty', email: 'off@staff.test', isActive: false, photoUrl: 'https://img.test/off.png' },
      ],
    })
    expect(accepted).toEqual({ key: expect.any(String), status: 'Pending', errorCode: null, errorMessage: null, operations: [] })
    // Nothing is created before the job runs, and the operation says so.
    expect(await usersWithEmail('ann@bulk.test')).toEqual([])
    expect(await get(accepted.key)).toEqual(accepted)

    expect(await processJobs()).toEqual({ done: 1, failed: 0 })
    const done = await get(accepted.key)
    const [ann] = await usersWithEmail('ann@bulk.test')
    const [dup] = await usersWithEmail('dup@bulk.test')
    const [off] = await usersWithEmail('off@staff.test')
    const ok = (status: string, key: string, email: string) => ({ status, errorCode: null, errorMessage: null, record: { key, email, username: null, subject: null } })
    const taken = (email: string) => ({ status: 'Error', errorCode: 'GH-ID-CONF-40901', errorMessage: 'A user with this email already exists.', record: { key: null, email, username: null, subject: null } })
    expect(done).toEqual({
      key: accepted.key,
      status: 'FinishedWithErrors',
      errorCode: null,
      errorMessage: null,
      operations: [
        ok('Inserted', ann.key, 'ann@bulk.test'),
        taken('existing@bulk.test'),
        ok('Inserted', dup.key, 'dup@bulk.test'),
        taken('dup@bulk.test'),
        ok('Updated', existing, 'existing@bulk.test'),
        ok('Updated', dup.key, 'dup@bulk.test'),
        ok('Inserted', off.key, 'off@staff.test'),
      ],
    })

    // As POST /users creates them: status from isActive, a built-in sign-in, classified by the
    // organization's internal domains; the existing user keeps name and photo and gains a sign-in.
    expect(ann).toMatchObject({ name: 'Ann Able', status: 'Active', photoUrl: null, isInternal: false })
    expect(dup).toMatchObject({ name: 'First Dup' })
    expect(off).toMatchObject({ name: 'Off Duty', status: 'Inactive', photoUrl: 'https://img.test/off.png', isInternal: true })
    expect(await userRow(existing)).toMatchObject({ name: 'Already Here' })
    const db = await getDb()
    for (const key of [ann.key, dup.key, off.key, existing]) expect(await db.select().from(userCredentials).where(eq(userCredentials.userKey, key))).toHaveLength(1)

    // Audited as the client that sent it: the request, each created user, the outcome.
    const actor = { actorType: 'api_client', actorKey: managerClient.key, actorLabel: 'HR sync' }
    expect(await auditRows('user.bulk_create_requested', accepted.key)).toEqual([expect.objectContaining({ ...actor, targetType: 'bulk_user_operation', changes: expect.objectContaining({ records: 7 }) })])
    expect(await auditRows('user.created', ann.key)).toEqual([
      expect.objectContaining({ ...actor, targetLabel: 'ann@bulk.test', changes: { after: { email: 'ann@bulk.test', name: 'Ann Able', status: 'Active' }, bulkOperation: accepted.key } }),
    ])
    expect(await auditRows('user.created', existing)).toEqual([])
    expect(await auditRows('user.bulk_create_finished', accepted.key)).toEqual([
      expect.objectContaining({ ...actor, changes: expect.objectContaining({ status: 'FinishedWithErrors', inserted: 3, updated: 2, errors: 2 }) }),
    ])
  })

  it('is Finished when every record was created, and any manager of the organization may read it', async () => {
    const records = Array.from({ length: 100 }, (_, i) => ({ name: `Hundred ${i}`, email: `hundred.${i}@bulk.test` }))
    const { key } = await post({ records })
    await processJobs()
    const body = await get(key, otherManager)
    expect(body.status).toBe('Finished')
    expect(body.operations.map((o) => o.record.email)).toEqual(records.map((r) => r.email))
    expect(body.operations.every((o) => o.status === 'Inserted' && o.record.key)).toBe(true)
    expect(new Set(body.operations.map((o) => o.record.key)).size).toBe(100)
  })

  it('shows no per-record results while Processing', async () => {
    const { key } = await post({ records: [{ email: 'processing@bulk.test' }] })
    const db = await getDb()
    await db.update(bulkUserOperations).set({ status: 'Processing' }).where(eq(bulkUserOperations.key, key))
    expect(await get(key)).toEqual({ key, status: 'Processing', errorCode: null, errorMessage: null, operations: [] })
    await processJobs()
    expect((await get(key)).status).toBe('Finished')
  })

  it('refuses 0 or 101 records, unknown properties and invalid records with 400, accepting nothing', async () => {
    const before = await rowCounts({ bulkUserOperations, jobs, users })
    const fieldsOf = async (body: unknown) => Object.keys((await post(body, manager, 400)).errors ?? {})
    expect(await fieldsOf({ records: [] })).toEqual(['records'])
    expect(await fieldsOf({ records: Array.from({ length: 101 }, (_, i) => ({ email: `over.${i}@bulk.test` })) })).toEqual(['records'])
    expect(await fieldsOf({})).toEqual(['records'])
    expect(await fieldsOf({ records: null })).toEqual(['records'])
    expect(await fieldsOf({ records: [{ email: 'a@bulk.test' }], dryRun: true })).toEqual(['form'])
    expect(await fieldsOf({ records: [{ email: 'a@bulk.test', role: 'admin' }] })).toEqual(['records.0'])
    expect(await fieldsOf({ records: [{ email: 'a@bulk.test' }, { email: 'b@bulk.test', isActive: 'yes' }] })).toEqual(['records.1.isActive'])
    // Each record as POST /users checks its body.
    expect(await fieldsOf({ records: [{ email: 'a@bulk.test' }, { name: 'No email' }, { email: 'c@bulk.test', username: 'c' }] })).toEqual(['records.1.email', 'records.2.username'])
    expect(await fieldsOf({ records: [{ email: 'a@bulk.test' }, { email: 'not-an-email' }, { email: 'c@bulk.test', photoUrl: 'javascript:alert(1)' }] })).toEqual(['records.1.email', 'records.2.photoUrl'])
    const problem = await post({ records: [{ email: 'a@bulk.test' }, { email: 'not-an-email' }] }, manager, 400)
    expect(problem).toMatchObject({ status: 400, errorCode: 'GH-ID-VAL-40001', errors: { 'records.1.email': ['Enter a valid email address, like name@example.com.'] } })
    expect(await rowCounts({ bulkUserOperations, jobs, users })).toEqual(before)
  })

  it('refuses a missing token with 401 and a client without Manage users with 403', async () => {
    const before = await rowCounts({ bulkUserOperations, jobs })
    await post({ records: [{ email: 'nobody@bulk.test' }] }, null, 401)
    await post({ records: [{ email: 'nobody@bulk.test' }] }, viewer, 403)
    await post({ records: [{ email: 'nobody@bulk.test' }] }, none, 403)
    expect(await rowCounts({ bulkUserOperations, jobs })).toEqual(before)
    const { key } = await post({ records: [{ email: 'readable@bulk.test' }] })
    await get(key, null, 401)
    await get(key, viewer, 403)
    await processJobs()
  })

  it('answers a malformed key with 400 and an unknown one with 404', async () => {
    expect((await get('not-a-key', manager, 400)).errors).toHaveProperty('key')
    expect(await get('6f1c1b7e-0000-4000-8000-000000000000', manager, 404)).toMatchObject({ status: 404, errorCode: 'GH-ID-NF-40401' })
  })

  it('runs a job abandoned by a runner that died again, once, and a finished operation never twice', async () => {
    const { key } = await post({ records: [{ email: 'restart.a@bulk.test' }, { email: 'restart.b@bulk.test' }] })
    const db = await getDb()
    // A runner claimed the job and died while processing: nothing of its transaction is left.
    const job = await jobOf(key)
    await db.update(jobs).set({ claimedAt: now(), attempts: 1 }).where(eq(jobs.id, job.id))
    await db.update(bulkUserOperations).set({ status: 'Processing', startedAt: now() }).where(eq(bulkUserOperations.key, key))
    // Its claim is respected while fresh…
    expect(await processJobs()).toEqual({ done: 0, failed: 0 })
    expect((await get(key)).status).toBe('Processing')
    // …and taken over once stale.
    expect(await processJobs(later(STALE_CLAIM_MS + 1000))).toEqual({ done: 1, failed: 0 })
    const first = await get(key)
    expect(first.operations.map((o) => o.status)).toEqual(['Inserted', 'Inserted'])

    // A runner that finished the operation but died before marking the job done: the re-run changes nothing.
    await db.update(jobs).set({ doneAt: null, claimedAt: null }).where(eq(jobs.id, job.id))
    const audited = (await auditRows('user.created')).length
    expect(await processJobs()).toEqual({ done: 1, failed: 0 })
    expect(await get(key)).toEqual(first)
    expect(await usersWithEmail('restart.a@bulk.test')).toHaveLength(1)
    expect(await usersWithEmail('restart.b@bulk.test')).toHaveLength(1)
    expect(await auditRows('user.created')).toHaveLength(audited)
    expect(await auditRows('user.bulk_create_finished', key)).toHaveLength(1)
  })

  it('reports a failure of the whole operation with an overall error once it has failed too often', async () => {
    const { key } = await post({ records: [{ email: 'doomed.a@bulk.test' }, { email: 'doomed.b@bulk.test' }] })
    const db = await getDb()
    // It crashed its runner on every attempt so far.
    await db.update(jobs).set({ claimedAt: now(), attempts: MAX_BULK_ATTEMPTS }).where(eq(jobs.id, (await jobOf(key)).id))
    expect(await processJobs(later(STALE_CLAIM_MS + 1000))).toEqual({ done: 1, failed: 0 })
    const body = await get(key)
    expect(body).toMatchObject({ status: 'FinishedWithErrors', errorCode: 'GH-ID-SYS-50001', errorMessage: expect.stringContaining('failed 5 times') })
    expect(body.operations).toEqual(
      ['doomed.a@bulk.test', 'doomed.b@bulk.test'].map((email) => ({ status: 'Error', errorCode: 'GH-ID-SYS-50001', errorMessage: expect.any(String), record: { key: null, email, username: null, subject: null } })),
    )
    expect(await usersWithEmail('doomed.a@bulk.test')).toEqual([])
  })

  it('fails a record the database refuses on its own, and still creates the others', async () => {
    const db = await getDb()
    await db.execute(sql`create function bulk_test_refuse() returns trigger language plpgsql as $$
      begin if new.email like 'refused%' then raise exception 'refused by test'; end if; return new; end $$`)
    await db.execute(sql`create trigger bulk_test_refuse before insert on users for each row execute function bulk_test_refuse()`)
    try {
      const { key } = await post({ records: [{ email: 'kept.1@bulk.test' }, { email: 'refused@bulk.test' }, { email: 'kept.2@bulk.test' }] })
      expect(await processJobs()).toEqual({ done: 1, failed: 0 })
      const body = await get(key)
      expect(body.status).toBe('FinishedWithErrors')
      expect(body.operations.map((o) => [o.status, o.errorCode])).toEqual([
        ['Inserted', null],
        ['Error', 'GH-ID-SYS-50001'],
        ['Inserted', null],
      ])
      expect(await usersWithEmail('kept.2@bulk.test')).toHaveLength(1)
      expect(await usersWithEmail('refused@bulk.test')).toEqual([])
      expect(await auditRows('user.created', body.operations[0].record.key!)).toHaveLength(1)
    } finally {
      await db.execute(sql`drop trigger bulk_test_refuse on users`)
      await db.execute(sql`drop function bulk_test_refuse()`)
    }
  })
})
