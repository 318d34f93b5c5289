import { index, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core'
import { groups } from './groups'
import { stages } from './stages'

/**
 * Groups a self-registered end-user joins on completing sign-up (AUTH-6). A group belongs to one
 * stage, so it can be chosen only for that stage; the stage is repeated here for the lookup.
 */
export const registrationGroups = pgTable(
  'registration_groups',
  {
    groupKey: uuid('group_key').primaryKey().references(() => groups.key, { onDelete: 'cascade' }),
    stageKey: uuid('stage_key').notNull().references(() => stages.key, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('registration_groups_stage_idx').on(t.stageKey)],
)
