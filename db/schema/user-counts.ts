import { bigint, bigserial, pgTable, text } from 'drizzle-orm/pg-core'

/**
 * Live user counts for the dashboard (CLS-2), kept by statement-level triggers on `users`
 * (migration 0007): every statement that changes a count appends its net change per kind, so
 * counting never scans users and concurrent writers never wait on a shared counter row. The
 * dashboard sums the rows and folds them into one per kind once they pile up.
 * Kinds: user (every user, migration 0011), member, end_user_internal, end_user_external, invited.
 */
export const userCountDeltas = pgTable('user_count_deltas', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  kind: text('kind').notNull(),
  delta: bigint('delta', { mode: 'number' }).notNull(),
})
