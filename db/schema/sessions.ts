import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { sessionKind } from './enums'
import { stages } from './stages'
import { users } from './users'

// Server-side sessions (AUTH-4): the row is the truth; the cookie only carries a random token
// whose SHA-256 is the primary key, so a copy of this table cannot be replayed as cookies.
export const sessions = pgTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    userKey: uuid('user_key').notNull().references(() => users.key, { onDelete: 'cascade' }),
    kind: sessionKind('kind').notNull(),
    stageKey: uuid('stage_key').references(() => stages.key, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    // Stage sessions only: the end of the idle period, moved forward by activity (AUTH-4).
    idleExpiresAt: timestamp('idle_expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userKey, t.createdAt), index('sessions_stage_idx').on(t.stageKey)],
)

export type Session = typeof sessions.$inferSelect
