import 'server-only'
import { inArray, sql } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { userCredentials, users, type BulkUserResult } from '@/db/schema'
import { auditMany } from '../audit/record'
import { nowOf, type Ctx } from '../context'
import { dbErrorMessage } from '../db-errors'
import { logger } from '../logger'
import { EMAIL_TAKEN_MESSAGE, initialStatus, userCreatedEvent, type CreateUserData } from './create-user'

const FAILED_MESSAGE = 'This record could not be created because of an error on the server. Send it again, alone or in a new operation.'

/**
 * Creates many users by createUser's rule, as if it ran once per record in order, on the caller's
 * transaction: a new email makes a user (Inserted); an email that already belongs to a user, from
 * before or from an earlier record of the same list, is refused (Error, EmailTaken) or, with
 * `reuseExisting`, answers that user and gives them a built-in sign-in (Updated; name and photo are
 * kept). Authorization is the caller's.
 *
 * Set-based: one insert for all users (conflicts on the case-insensitive email index are skipped,
 * so a concurrent creation of the same email is an EmailTaken, not a failure), one for the
 * credentials, one for the audit events. The database's triggers classify and count the new users
 * as for single creation. Should the batch fail for another reason, the records are retried one by
 * one, each in its own savepoint, so that one bad record fails alone.
 */
export async function createUsers(tx: Tx, ctx: Ctx, records: CreateUserData[], details?: Record<string, unknown>): Promise<BulkUserResult[]> {
  try {
    return await tx.transaction((batch) => createBatch(batch, ctx, records, details))
  } catch (error) {
    logger.warn('bulk user creation: the batch failed, retrying record by record', { records: records.length, error: dbErrorMessage(error) })
  }
  const results: BulkUserResult[] = []
  for (const record of records) {
    try {
      results.push((await tx.transaction((one) => createBatch(one, ctx, [record], details)))[0])
    } catch (error) {
      logger.warn('bulk user creation: a record failed', { error: dbErrorMessage(error) })
      results.push({ status: 'Error', userKey: null, reason: 'Failed', message: FAILED_MESSAGE })
    }
  }
  return results
}

async function createBatch(tx: Tx, ctx: Ctx, records: CreateUserData[], details?: Record<string, unknown>): Promise<BulkUserResult[]> {
  // The first record with an email is the one that may create its user.
  const firstOf = new Map<string, number>()
  records.forEach((r, i) => firstOf.has(r.email) || firstOf.set(r.email, i))
  const now = nowOf(ctx)
  const candidates = [...firstOf.values()].map((i) => records[i])
  // One JSON parameter rather than a VALUES list of 600 parameters: building and binding those
  // cost more than the insert itself. In email order, so that concurrent batches meet each other's
  // emails in one order and never deadlock.
  const rows = candidates.map((r) => ({ email: r.email, name: r.name, photo_url: r.photoUrl, status: initialStatus(r) }))
  const created = await tx.execute<{ key: string; email: string }>(sql`
    insert into ${users} (email, name, photo_url, status, created_at, updated_at)
    select r.email, r.name, r.photo_url, r.status, ${now}::timestamptz, ${now}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(email text, name text, photo_url text, status user_status)
    order by r.email
    on conflict do nothing
    returning key, email`)
  const inserted = new Map(created.rows.map((u) => [u.email, u.key]))
  const missing = candidates.map((r) => r.email).filter((e) => !inserted.has(e))
  const existing = new Map(
    missing.length
      ? (await tx.select({ key: users.key, email: sql<string>`lower(${users.email})` }).from(users).where(inArray(sql`lower(${users.email})`, missing))).map((u) => [u.email, u.key])
      : [],
  )

  const results = records.map((r, i): BulkUserResult => {
    const made = inserted.get(r.email)
    if (made && firstOf.get(r.email) === i) return { status: 'Inserted', userKey: made }
    const key = made ?? existing.get(r.email)
    // Unseen although the insert skipped it: the conflicting user was deleted meanwhile.
    if (!key) return { status: 'Error', userKey: null, reason: 'Failed', message: FAILED_MESSAGE }
    if (!r.reuseExisting) return { status: 'Error', userKey: null, reason: 'EmailTaken', message: EMAIL_TAKEN_MESSAGE }
    return { status: 'Updated', userKey: key }
  })

  const signIns = [...new Set(results.flatMap((r) => (r.status === 'Error' ? [] : [r.userKey])))].sort()
  if (signIns.length) await tx.execute(sql`insert into ${userCredentials} (user_key) select unnest(${sql.param(signIns)}::uuid[]) on conflict do nothing`)
  await auditMany(
    tx,
    ctx,
    results.flatMap((r, i) => (r.status === 'Inserted' ? [userCreatedEvent(r.userKey, records[i], details)] : [])),
  )
  return results
}
