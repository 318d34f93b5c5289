import { sql } from 'drizzle-orm'
import { boolean, check, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

/** Session limits of a stage's end-user sessions, in minutes (AUTH-4, SESS-1). */
export const SESSION_LIMITS = {
  maxMinutes: { min: 60, max: 45 * 24 * 60 },
  idleMinutes: { min: 5, max: 45 * 24 * 60 },
  defaultMinutes: 12 * 60,
} as const

export const stages = pgTable(
  'stages',
  {
    key: uuid('key').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    sessionMaxMinutes: integer('session_max_minutes').notNull().default(SESSION_LIMITS.defaultMinutes),
    sessionIdleMinutes: integer('session_idle_minutes').notNull().default(SESSION_LIMITS.defaultMinutes),
    // Self-registration on the stage's hosted pages (AUTH-6): off until an administrator turns it on.
    selfRegistrationEnabled: boolean('self_registration_enabled').notNull().default(false),
    // Lower-case domains a new registration's email must belong to; empty means any domain.
    selfRegistrationDomains: text('self_registration_domains').array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('stages_code_unique').on(t.code),
    uniqueIndex('stages_position_unique').on(t.position),
    // The use case gives the friendly message; these keep every writer honest.
    check('stages_session_max_range', sql`${t.sessionMaxMinutes} between 60 and 64800`),
    check('stages_session_idle_range', sql`${t.sessionIdleMinutes} between 5 and 64800 and ${t.sessionIdleMinutes} <= ${t.sessionMaxMinutes}`),
  ],
)

export type Stage = typeof stages.$inferSelect
