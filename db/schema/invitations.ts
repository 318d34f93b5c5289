import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { users } from './users'

// Invitations (AUTH-5). Token and code are stored only as hashes; a resend revokes the previous one.
export const invitations = pgTable(
  'invitations',
  {
    key: uuid('key').primaryKey().defaultRandom(),
    userKey: uuid('user_key').notNull().references(() => users.key, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    codeHash: text('code_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
  },
  (t) => [uniqueIndex('invitations_token_unique').on(t.tokenHash), index('invitations_user_idx').on(t.userKey)],
)

export type Invitation = typeof invitations.$inferSelect
