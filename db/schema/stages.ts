import { integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

export const stages = pgTable(
  'stages',
  {
    key: uuid('key').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('stages_code_unique').on(t.code), uniqueIndex('stages_position_unique').on(t.position)],
)

export type Stage = typeof stages.$inferSelect
