import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { verificationPurpose } from './enums'
import { stages } from './stages'
import { users } from './users'

/**
 * One-time codes sent by email to finish a self-registration (AUTH-6) or reset a password (AUTH-7).
 * Stored only as a keyed hash; a new code for the same purpose revokes the previous one.
 */
export const verificationCodes = pgTable(
  'verification_codes',
  {
    key: uuid('key').primaryKey().defaultRandom(),
    userKey: uuid('user_key').notNull().references(() => users.key, { onDelete: 'cascade' }),
    purpose: verificationPurpose('purpose').notNull(),
    // The stage whose hosted pages asked for the code; null for the portal.
    stageKey: uuid('stage_key').references(() => stages.key, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    usedAt: timestamp('used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('verification_codes_user_idx').on(t.userKey, t.purpose)],
)

export type VerificationCode = typeof verificationCodes.$inferSelect
