import 'server-only'
import { and, eq, inArray, sql } from 'drizzle-orm'
import { z } from 'zod'
import { getDb, type Tx } from '@/db/client'
import { bulkUserOperations, type BulkOperationStatus, type BulkUserRecord, type BulkUserResult } from '@/db/schema'
import { audit } from '../audit/record'
import { requirePermission } from '../authz'
import { now as clockNow } from '../clock'
import { nowOf, withTransaction, type Actor, type Ctx } from '../context'
import { dbErrorMessage } from '../db-errors'
import { NotFoundError } from '../errors'
import { scheduleJob, wakeJobRunner, type ClaimedJob } from '../jobs/runner'
import { parse, uuidSchema } from '../validation'
import { createUserSchema } from './create-user'
import { createUsers } from './create-users'

// Bulk user creation (API-6, LIM-1): POST stores the validated records and a job in one
// transaction; the job runner creates the users later, all records of an operation in one
// transaction together with their results, so a crash at any point leaves the operation either
// untouched (the job runs it again) or finished (a re-run finds it done and changes nothing).

export const BULK_CREATE_USERS_JOB = 'bulk-create-users'
export const MAX_BULK_RECORDS = 100
/** After this many failed attempts the operation is given up and reported as failed as a whole. */
export const MAX_BULK_ATTEMPTS = 5

export const bulkCreateUsersSchema = z.strictObject({
  records: z
    .array(createUserSchema, { error: `Send between 1 and ${MAX_BULK_RECORDS} records.` })
    .min(1, `Send between 1 and ${MAX_BULK_RECORDS} records.`)
    .max(MAX_BULK_RECORDS, `Send between 1 and ${MAX_BULK_RECORDS} records.`),
})

export type BulkUserOperationView = {
  key: string
  status: BulkOperationStatus
  /** A failure of the operation as a whole; each record's own outcome is in `results`. */
  failure: { reason: string; message: string } | null
  records: BulkUserRecord[]
  /** One per record, in input order, once the operation has finished; null before. */
  results: BulkUserResult[] | null
}

/** Accepts an operation (Pending) for the job runner; each record is validated exactly as for createUser. */
export async function submitBulkUserCreation(ctx: Ctx, input: unknown): Promise<BulkUserOperationView> {
  const { records } = parse(bulkCreateUsersSchema, input)
  const view = await withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage')
    const actor = ctx.actor!
    const [operation] = await tx
      .insert(bulkUserOperations)
      .values({ requestedByType: actor.type, requestedByKey: actorKeyOf(actor), requestedByLabel: actor.label, records, createdAt: nowOf(ctx) })
      .returning({ key: bulkUserOperations.key })
    await scheduleJob(tx, { kind: BULK_CREATE_USERS_JOB, dedupeKey: `${BULK_CREATE_USERS_JOB}:${operation.key}`, runAt: nowOf(ctx), payload: { operationKey: operation.key } })
    await audit(tx, ctx, { action: 'user.bulk_create_requested', target: { type: 'bulk_user_operation', key: operation.key, label: recordsLabel(records.length) }, details: { records: records.length } })
    return { key: operation.key, status: 'Pending' as const, failure: null, records, results: null }
  })
  // In the server the runner picks the job up now rather than at its next tick; in tests it does nothing.
  wakeJobRunner()
  return view
}

/**
 * An operation and, once it has finished, the outcome of each record. Any holder of Manage users
 * may read any operation of the organization, not only those its own client sent.
 */
export async function getBulkUserOperation(ctx: Ctx, input: unknown): Promise<BulkUserOperationView> {
  const { key } = parse(z.object({ key: uuidSchema }), input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage')
    const [row] = await tx.select().from(bulkUserOperations).where(eq(bulkUserOperations.key, key))
    if (!row) throw new NotFoundError('The bulk operation')
    return { key: row.key, status: row.status, failure: row.errorCode ? { reason: row.errorCode, message: row.errorMessage ?? '' } : null, records: row.records, results: row.results }
  })
}

const OPEN: BulkOperationStatus[] = ['Pending', 'Processing']

/**
 * The job: creates the operation's users. Authorization was checked when the operation was
 * accepted; the users are created, and audited, in the name of whoever sent it. Idempotent: an
 * operation that has finished is left alone.
 */
export async function runBulkUserCreation(job: ClaimedJob): Promise<void> {
  const { operationKey } = parse(z.object({ operationKey: uuidSchema }), job.payload)
  const db = await getDb()
  // Visible as Processing while the (single) transaction below runs.
  const [operation] = await db
    .update(bulkUserOperations)
    .set({ status: 'Processing', startedAt: sql`coalesce(${bulkUserOperations.startedAt}, ${clockNow()})` })
    .where(and(eq(bulkUserOperations.key, operationKey), inArray(bulkUserOperations.status, OPEN)))
    .returning({ requestedByType: bulkUserOperations.requestedByType, requestedByKey: bulkUserOperations.requestedByKey, requestedByLabel: bulkUserOperations.requestedByLabel })
  if (!operation) return
  const ctx: Ctx = { actor: actorOf(operation) }
  // A runner that died during an earlier attempt left nothing behind, but an operation that keeps failing is given up.
  if (job.attempts > MAX_BULK_ATTEMPTS) return giveUp(ctx, operationKey, job.attempts - 1)
  try {
    await withTransaction(ctx, async (tx, ctx) => {
      const [row] = await tx.select({ status: bulkUserOperations.status, records: bulkUserOperations.records }).from(bulkUserOperations).where(eq(bulkUserOperations.key, operationKey)).for('update')
      // Another runner finished it while this one waited for the lock.
      if (!row || !OPEN.includes(row.status)) return
      const results = await createUsers(tx, ctx, row.records, { bulkOperation: operationKey })
      await finish(tx, ctx, operationKey, results, null)
    })
  } catch (error) {
    // The database's own message, not the query wrapped around it: its parameters are the records' personal data.
    if (job.attempts < MAX_BULK_ATTEMPTS) throw new Error(`Bulk operation ${operationKey} failed: ${dbErrorMessage(error)}`)
    await giveUp(ctx, operationKey, job.attempts)
  }
}

const GAVE_UP_REASON = 'Failed'

/** Ends an operation that could not be processed: every record is reported as not created. */
async function giveUp(ctx: Ctx, operationKey: string, attempts: number): Promise<void> {
  const message = `The operation failed ${attempts} times and was stopped; no user of it was created. Send the records again in a new operation.`
  await withTransaction(ctx, async (tx, ctx) => {
    const [row] = await tx.select({ status: bulkUserOperations.status, records: bulkUserOperations.records }).from(bulkUserOperations).where(eq(bulkUserOperations.key, operationKey)).for('update')
    if (!row || !OPEN.includes(row.status)) return
    const results = row.records.map((): BulkUserResult => ({ status: 'Error', userKey: null, reason: GAVE_UP_REASON, message: 'Not created: the operation failed as a whole.' }))
    await finish(tx, ctx, operationKey, results, { reason: GAVE_UP_REASON, message })
  })
}

async function finish(tx: Tx, ctx: Ctx, operationKey: string, results: BulkUserResult[], failure: { reason: string; message: string } | null) {
  const tally = { inserted: 0, updated: 0, errors: 0 }
  for (const r of results) tally[r.status === 'Inserted' ? 'inserted' : r.status === 'Updated' ? 'updated' : 'errors']++
  const status: BulkOperationStatus = tally.errors ? 'FinishedWithErrors' : 'Finished'
  await tx
    .update(bulkUserOperations)
    .set({ status, results, errorCode: failure?.reason ?? null, errorMessage: failure?.message ?? null, finishedAt: nowOf(ctx) })
    .where(eq(bulkUserOperations.key, operationKey))
  await audit(tx, ctx, { action: 'user.bulk_create_finished', target: { type: 'bulk_user_operation', key: operationKey, label: recordsLabel(results.length) }, details: { status, ...tally, ...(failure ? { failure: failure.message } : {}) } })
}

const recordsLabel = (n: number) => (n === 1 ? '1 user' : `${n} users`)

const actorKeyOf = (actor: Actor) => (actor.type === 'api_client' ? actor.clientKey : actor.type === 'user' ? actor.userKey : null)

function actorOf(r: { requestedByType: Actor['type']; requestedByKey: string | null; requestedByLabel: string }): Actor {
  if (r.requestedByType === 'api_client' && r.requestedByKey) return { type: 'api_client', clientKey: r.requestedByKey, label: r.requestedByLabel }
  if (r.requestedByType === 'user' && r.requestedByKey) return { type: 'user', userKey: r.requestedByKey, label: r.requestedByLabel }
  return { type: 'system', label: r.requestedByLabel }
}
