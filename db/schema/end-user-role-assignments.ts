import { index, pgTable, primaryKey, timestamp, uuid } from 'drizzle-orm/pg-core'
import { appRoleInstances } from './app-roles'
import { users } from './users'

/** Direct end-user role grants (EUR-1, source `Direct`); grants through groups live in group_roles. */
export const endUserRoleAssignments = pgTable(
  'end_user_role_assignments',
  {
    userKey: uuid('user_key').notNull().references(() => users.key, { onDelete: 'cascade' }),
    instanceKey: uuid('instance_key').notNull().references(() => appRoleInstances.key, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userKey, t.instanceKey] }), index('end_user_role_assignments_instance_idx').on(t.instanceKey, t.userKey)],
)

export type EndUserRoleAssignment = typeof endUserRoleAssignments.$inferSelect
