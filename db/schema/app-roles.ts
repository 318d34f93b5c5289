import { sql } from 'drizzle-orm'
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { apps } from './apps'
import { stages } from './stages'

/**
 * An application (end-user) role as defined once for its app (APP-2). Its key is the role's
 * `externalKey`, shared by the per-stage instances below.
 */
export const appRoles = pgTable(
  'app_roles',
  {
    key: uuid('key').primaryKey().defaultRandom(),
    appKey: uuid('app_key').notNull().references(() => apps.key, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    isPublic: boolean('is_public').notNull().default(false),
    claimName: text('claim_name').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('app_roles_name_unique').on(t.appKey, sql`lower(${t.name})`)],
)

/**
 * One instance of an application role per stage its app is deployed to: what end-users and groups
 * are granted. `appKey` and `stageKey` are repeated here so "who has access to app A in stage S"
 * starts from one index.
 */
export const appRoleInstances = pgTable(
  'app_role_instances',
  {
    key: uuid('key').primaryKey().defaultRandom(),
    appRoleKey: uuid('app_role_key').notNull().references(() => appRoles.key, { onDelete: 'cascade' }),
    appKey: uuid('app_key').notNull().references(() => apps.key, { onDelete: 'cascade' }),
    stageKey: uuid('stage_key').notNull().references(() => stages.key, { onDelete: 'cascade' }),
  },
  (t) => [
    uniqueIndex('app_role_instances_role_stage_unique').on(t.appRoleKey, t.stageKey),
    index('app_role_instances_app_stage_idx').on(t.appKey, t.stageKey),
    index('app_role_instances_stage_idx').on(t.stageKey),
  ],
)

export type AppRole = typeof appRoles.$inferSelect
export type AppRoleInstance = typeof appRoleInstances.$inferSelect
