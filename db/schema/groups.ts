import { sql } from 'drizzle-orm'
import { index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { appRoleInstances } from './app-roles'
import { groupMembershipType } from './enums'
import { stages } from './stages'
import { users } from './users'

/** End-user groups (GRP-1): each belongs to one stage, fixed at creation. */
export const groups = pgTable(
  'groups',
  {
    key: uuid('key').primaryKey().defaultRandom(),
    // A stage that still has groups cannot be deleted (STG-1).
    stageKey: uuid('stage_key').notNull().references(() => stages.key, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('groups_stage_name_unique').on(t.stageKey, sql`lower(${t.name})`), index('groups_name_idx').on(sql`lower(${t.name})`, t.key)],
)

/** Application roles a group grants to its members (GRP-2); only instances in the group's stage. */
export const groupRoles = pgTable(
  'group_roles',
  {
    groupKey: uuid('group_key').notNull().references(() => groups.key, { onDelete: 'cascade' }),
    instanceKey: uuid('instance_key').notNull().references(() => appRoleInstances.key, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.groupKey, t.instanceKey] }), index('group_roles_instance_idx').on(t.instanceKey, t.groupKey)],
)

export const groupMembers = pgTable(
  'group_members',
  {
    groupKey: uuid('group_key').notNull().references(() => groups.key, { onDelete: 'cascade' }),
    userKey: uuid('user_key').notNull().references(() => users.key, { onDelete: 'cascade' }),
    type: groupMembershipType('type').notNull().default('Assigned'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.groupKey, t.userKey, t.type] }), index('group_members_user_idx').on(t.userKey, t.groupKey)],
)

export type Group = typeof groups.$inferSelect
export type GroupMember = typeof groupMembers.$inferSelect
