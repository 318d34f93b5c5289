import { count, eq, inArray, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { bulkUserOperations, jobs, users } from '@/db/schema'
import { now } from '@/lib/clock'
import type { Ctx } from '@/lib/context'
import { userCounts } from '@/lib/dashboard/get-dashboard'
import { ForbiddenError, NotFoundError } from '@/lib/errors'
import { jobHandlers } from '@/lib/jobs/handlers'
import { backoffMs, runDueJobs, setJobRunnerWaker } from '@/lib/jobs/runner'
import { tick } from '@/lib/jobs/start'
import { auditRows, createMember, rowCounts } from '@/test/factories'
import { ADMIN, setupOrganization, useTestDatabase } from '@/test/harness'
import { BULK_CREATE_USERS_JOB, getBulkUserOperation, MAX_BULK_ATTEMPTS, submitBulkUserCreation } from './bulk-create-users'
import { createUser } from './create-user'

// The bulk creation use cases without the API: a portal member as the requester, authorization,
// and what a processing transaction that fails leaves behind (nothing) until it is retried or given up.

const later = (ms: number) => new Date(now().getTime() + ms)
const process = (at = now()) => runDueJobs(at, jobHandlers)

async function usersWithEmail(email: string) {
  const db = await getDb()
  return db.select({ key: users.key }).from(users).where(eq(sql`lower(${users.email})`, email))
}

async function jobOf(operationKey: string) {
  const db = await getDb()
  return (await db.select().from(jobs).where(eq(jobs.dedupeKey, `${BULK_CREATE_USERS_JOB}:${operationKey}`)))[0]
}

describe('bulk user creation (API-6)', () => {
  useTestDatabase()
  let admin: Ctx
  let adminKey: string

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = org.admin
    adminKey = org.userKey
  })

  it('creates the users in the name of the member who asked, as createUser would', async () => {
    const op = await submitBulkUserCreation(admin, { records: [{ email: 'Portal.One@bulk.test', name: ' Portal One ' }, { email: 'portal.two@bulk.test', isActive: false }] })
    expect(op).toMatchObject({ status: 'Pending', results: null, records: [{ email: 'portal.one@bulk.test', name: 'Portal One', photoUrl: null, isActive: true, reuseExisting: false }, expect.anything()] })
    await process()
    const done = await getBulkUserOperation(admin, { key: op.key })
    expect(done.status).toBe('Finished')
    const [one] = await usersWithEmail('portal.one@bulk.test')
    expect(done.results).toEqual([{ status: 'Inserted', userKey: one.key }, { status: 'Inserted', userKey: expect.any(String) }])
    expect(await auditRows('user.created', one.key)).toEqual([expect.objectContaining({ actorType: 'user', actorKey: adminKey, actorLabel: ADMIN.email })])
    // The live counts (statement-level triggers) include users made in bulk.
    const db = await getDb()
    const [{ n }] = await db.select({ n: count() }).from(users)
    expect((await db.transaction((tx) => userCounts(tx))).users).toBe(n)
    // A single creation afterwards sees the same email rule.
    await expect(createUser(admin, { email: 'PORTAL.TWO@bulk.test' })).rejects.toThrow('A user with this email already exists.')
  })

  it('refuses a member without Manage users, accepting nothing', async () => {
    const developer = await createMember(admin, { role: 'Developer' })
    const before = await rowCounts({ bulkUserOperations, jobs })
    await expect(submitBulkUserCreation(developer.ctx(), { records: [{ email: 'nope@bulk.test' }] })).rejects.toBeInstanceOf(ForbiddenError)
    expect(await rowCounts({ bulkUserOperations, jobs })).toEqual(before)
    const op = await submitBulkUserCreation(admin, { records: [{ email: 'seen@bulk.test' }] })
    await expect(getBulkUserOperation(developer.ctx(), { key: op.key })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(getBulkUserOperation(admin, { key: '00000000-0000-4000-8000-000000000000' })).rejects.toBeInstanceOf(NotFoundError)
    await process()
  })

  it('rolls a failed processing back whole, retries it later, and gives up after the last attempt', async () => {
    const db = await getDb()
    // The operation's final write fails (unless it records a failure of the whole operation): the
    // users inserted before it in the same transaction must vanish with it.
    await db.execute(sql`create function bulk_test_fail_finish() returns trigger language plpgsql as $$
      begin if new.results is not null and new.error_code is null then raise exception 'finish refused by test'; end if; return new; end $$`)
    await db.execute(sql`create trigger bulk_test_fail_finish before update on bulk_user_operations for each row execute function bulk_test_fail_finish()`)
    try {
      const op = await submitBulkUserCreation(admin, { records: [{ email: 'retry.a@bulk.test' }, { email: 'retry.b@bulk.test' }] })
      expect(await process()).toEqual({ done: 0, failed: 1 })
      expect(await usersWithEmail('retry.a@bulk.test')).toEqual([])
      expect((await getBulkUserOperation(admin, { key: op.key })).status).toBe('Processing')
      const job = await jobOf(op.key)
      expect(job).toMatchObject({ attempts: 1, lastError: `Bulk operation ${op.key} failed: finish refused by test`, doneAt: null })

      // The last attempt fails too: the operation ends with an overall error, nothing created.
      await db.update(jobs).set({ attempts: MAX_BULK_ATTEMPTS - 1 }).where(eq(jobs.id, job.id))
      expect(await process(later(backoffMs(1)))).toEqual({ done: 1, failed: 0 })
      const failed = await getBulkUserOperation(admin, { key: op.key })
      expect(failed).toMatchObject({ status: 'FinishedWithErrors', failure: { reason: 'Failed', message: expect.stringContaining(`failed ${MAX_BULK_ATTEMPTS} times`) } })
      expect(failed.results?.map((r) => r.status)).toEqual(['Error', 'Error'])
      expect(await usersWithEmail('retry.b@bulk.test')).toEqual([])

      // Another one fails once, then succeeds on its retry, creating each user once.
      const second = await submitBulkUserCreation(admin, { records: [{ email: 'retry.c@bulk.test' }] })
      expect(await process()).toEqual({ done: 0, failed: 1 })
      await db.execute(sql`drop trigger bulk_test_fail_finish on bulk_user_operations`)
      expect(await process(later(backoffMs(1)))).toEqual({ done: 1, failed: 0 })
      expect((await getBulkUserOperation(admin, { key: second.key })).status).toBe('Finished')
      expect(await usersWithEmail('retry.c@bulk.test')).toHaveLength(1)
    } finally {
      await db.execute(sql`drop trigger if exists bulk_test_fail_finish on bulk_user_operations`)
      await db.execute(sql`drop function bulk_test_fail_finish()`)
    }
  })

  it('wakes the runner on submission, and one tick works off a burst larger than a pass', async () => {
    let wakes = 0
    setJobRunnerWaker(() => wakes++)
    const keys: string[] = []
    try {
      for (let i = 0; i < 25; i++) keys.push((await submitBulkUserCreation(admin, { records: [{ email: `burst.${i}@bulk.test` }] })).key)
    } finally {
      setJobRunnerWaker(undefined)
    }
    expect(wakes).toBe(25)
    await tick()
    const db = await getDb()
    const statuses = await db.select({ status: bulkUserOperations.status }).from(bulkUserOperations).where(inArray(bulkUserOperations.key, keys))
    expect(statuses.map((s) => s.status)).toEqual(keys.map(() => 'Finished'))
  })

  it('processes operations with the same emails side by side without duplicates or deadlocks', async () => {
    const emails = Array.from({ length: 40 }, (_, i) => `race.${i}@bulk.test`)
    const a = await submitBulkUserCreation(admin, { records: emails.map((email) => ({ email })) })
    const b = await submitBulkUserCreation(admin, { records: [...emails].reverse().map((email) => ({ email, reuseExisting: true })) })
    expect(await runDueJobs(now(), jobHandlers, { concurrency: 2 })).toEqual({ done: 2, failed: 0 })
    const [resultsA, resultsB] = [(await getBulkUserOperation(admin, { key: a.key })).results!, (await getBulkUserOperation(admin, { key: b.key })).results!.reverse()]
    for (const [i, email] of emails.entries()) {
      const found = await usersWithEmail(email)
      expect(found).toHaveLength(1)
      const [user] = found
      // Whichever came first inserted it; the other found it (B reuses it, A refuses the email).
      const pair = [resultsA[i], resultsB[i]]
      expect(pair.filter((r) => r.status === 'Inserted')).toEqual([{ status: 'Inserted', userKey: user.key }])
      expect(pair.find((r) => r.status !== 'Inserted')).toMatchObject(pair[0].status === 'Inserted' ? { status: 'Updated', userKey: user.key } : { status: 'Error', reason: 'EmailTaken' })
    }
  })
})
