import { sql } from 'drizzle-orm'
import { integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

export const organizations = pgTable(
  'organizations',
  {
    key: uuid('key').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    domain: text('domain'),
    // 'odc' (length, digit, upper case, common list) or 'asvs' (length and common list only), see AUTH-2.
    passwordPolicy: text('password_policy').notNull().default('odc'),
    // Lower-case email domains whose end-users count as internal (CLS-1); empty: everyone is internal.
    internalDomains: text('internal_domains').array().notNull().default(sql`'{}'::text[]`),
    // At most this many API clients (APIC-1; ODC's limit by default).
    apiClientLimit: integer('api_client_limit').notNull().default(35),
    // Requests per minute for the whole organization (API-3): the identity API, and bulk creation
    // within it.
    apiRateLimit: integer('api_rate_limit').notNull().default(100),
    bulkRateLimit: integer('bulk_rate_limit').notNull().default(5),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // One organization per deployment (ORG-1): a unique index over a constant admits a single row,
  // so two concurrent first-run setups cannot both succeed.
  () => [uniqueIndex('organizations_singleton').on(sql`(true)`)],
)

export type Organization = typeof organizations.$inferSelect
