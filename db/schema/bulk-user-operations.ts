import { sql } from 'drizzle-orm'
import { check, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { actorType } from './enums'

// Pending until the job runner takes it, Processing while it works, then Finished (every record
// created or matched) or FinishedWithErrors (a record, or the whole operation, failed).
export const bulkOperationStatus = pgEnum('bulk_operation_status', ['Pending', 'Processing', 'Finished', 'FinishedWithErrors'])
export type BulkOperationStatus = (typeof bulkOperationStatus.enumValues)[number]

/** One validated record, exactly the input createUser takes (lib/users/create-user.ts). */
export type BulkUserRecord = { email: string; name: string; photoUrl: string | null; isActive: boolean; reuseExisting: boolean }

/**
 * What became of one record: Inserted (a new user), Updated (an existing user with that email,
 * reused as createUser's `reuseExisting` says), or Error with the reason.
 */
export type BulkUserResult =
  | { status: 'Inserted' | 'Updated'; userKey: string }
  | { status: 'Error'; userKey: null; reason: BulkUserErrorReason; message: string }
export type BulkUserErrorReason = 'EmailTaken' | 'Failed'

/**
 * Bulk user creation (API-6): the request is stored here and processed by a job, so it survives a
 * restart. `results` is written in the same transaction as the users it reports, one entry per
 * record in input order: a re-run after a crash finds either nothing done or everything done.
 * The requester is kept as the audit trail's actor (type, key, label), without a foreign key, so an
 * operation outlives the API client that sent it.
 */
export const bulkUserOperations = pgTable(
  'bulk_user_operations',
  {
    key: uuid('key').primaryKey().defaultRandom(),
    status: bulkOperationStatus('status').notNull().default('Pending'),
    requestedByType: actorType('requested_by_type').notNull(),
    requestedByKey: uuid('requested_by_key'),
    requestedByLabel: text('requested_by_label').notNull(),
    records: jsonb('records').$type<BulkUserRecord[]>().notNull(),
    results: jsonb('results').$type<BulkUserResult[]>(),
    // A failure of the whole operation (it could not be processed at all): reason and message.
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  // Read by key only (the primary key); finished exactly when it has results.
  (t) => [check('bulk_user_operations_results_when_finished', sql`(${t.results} is not null) = (${t.status} in ('Finished', 'FinishedWithErrors'))`)],
)

export type BulkUserOperation = typeof bulkUserOperations.$inferSelect
