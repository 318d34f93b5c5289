import { boolean, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

// The permission registry (PERM-1), seeded from permissions.json with its fixed uuid keys.
export const permissions = pgTable(
  'permissions',
  {
    key: uuid('key').primaryKey(),
    slug: text('slug').notNull(),
    category: text('category').notNull(),
    name: text('name').notNull(),
    purpose: text('purpose').notNull(),
    allowedScopes: text('allowed_scopes').array().notNull(),
    allowStages: boolean('allow_stages').notNull(),
    inherits: text('inherits').array().notNull(),
    claimName: text('claim_name').notNull(),
    enforcedBy: text('enforced_by').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [uniqueIndex('permissions_slug_unique').on(t.slug)],
)

export type Permission = typeof permissions.$inferSelect
