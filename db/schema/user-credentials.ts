import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { users } from './users'

// The built-in provider's credential and its lockout state (AUTH-1, AUTH-3).
export const userCredentials = pgTable('user_credentials', {
  userKey: uuid('user_key').primaryKey().references(() => users.key, { onDelete: 'cascade' }),
  passwordHash: text('password_hash'),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
})

export type UserCredential = typeof userCredentials.$inferSelect
