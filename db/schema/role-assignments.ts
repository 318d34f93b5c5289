import { sql } from 'drizzle-orm'
import { index, pgTable, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { apps } from './apps'
import { roles } from './roles'
import { users } from './users'

// Organization role grants (ROLE-4): one at organization scope (app_key null) and at most one per app.
export const roleAssignments = pgTable(
  'role_assignments',
  {
    key: uuid('key').primaryKey().defaultRandom(),
    userKey: uuid('user_key').notNull().references(() => users.key, { onDelete: 'cascade' }),
    roleKey: uuid('role_key').notNull().references(() => roles.key, { onDelete: 'cascade' }),
    appKey: uuid('app_key').references(() => apps.key, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true }),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('role_assignments_org_scope_unique').on(t.userKey).where(sql`${t.appKey} is null`),
    uniqueIndex('role_assignments_app_scope_unique').on(t.userKey, t.appKey).where(sql`${t.appKey} is not null`),
    index('role_assignments_role_idx').on(t.roleKey),
    index('role_assignments_app_idx').on(t.appKey),
  ],
)

export type RoleAssignment = typeof roleAssignments.$inferSelect
