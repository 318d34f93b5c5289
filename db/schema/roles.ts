import { sql } from 'drizzle-orm'
import { boolean, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

export const roles = pgTable(
  'roles',
  {
    key: uuid('key').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    isReadOnly: boolean('is_read_only').notNull().default(false),
    // 'administrator' | 'developer' for the built-in roles; null for custom roles.
    builtIn: text('built_in'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('roles_name_unique').on(sql`lower(${t.name})`), uniqueIndex('roles_built_in_unique').on(t.builtIn)],
)

export type Role = typeof roles.$inferSelect
