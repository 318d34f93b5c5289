import { sql } from 'drizzle-orm'
import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { stages } from './stages'

export const apps = pgTable(
  'apps',
  {
    key: uuid('key').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    // Optimistic concurrency: an edit names the version it started from.
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('apps_name_idx').on(sql`lower(${t.name})`, t.key)],
)

/** The stages an app is deployed to (APP-1). */
export const appStages = pgTable(
  'app_stages',
  {
    appKey: uuid('app_key').notNull().references(() => apps.key, { onDelete: 'cascade' }),
    stageKey: uuid('stage_key').notNull().references(() => stages.key, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.appKey, t.stageKey] }), index('app_stages_stage_idx').on(t.stageKey)],
)

export type App = typeof apps.$inferSelect
