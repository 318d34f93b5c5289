import { sql } from 'drizzle-orm'
import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { permissions } from './permissions'

/**
 * API clients (APIC-1, APIC-2): non-human principals that call the REST API with OAuth 2.0 client
 * credentials. Status is derived (Available, Needs attention, Expired, Suspended), never stored,
 * except the administrator's decision to suspend.
 */
export const apiClients = pgTable(
  'api_clients',
  {
    key: uuid('key').primaryKey().defaultRandom(),
    // 32 lower-case hex characters, public: the OAuth client_id.
    clientId: text('client_id').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    suspendedAt: timestamp('suspended_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
  },
  (t) => [uniqueIndex('api_clients_client_id_unique').on(t.clientId), uniqueIndex('api_clients_name_unique').on(sql`lower(${t.name})`)],
)

/**
 * A client's secrets. Normally one is live; after a rotation with overlap the previous one keeps
 * working until `retiresAt`. Stored as HMAC-SHA-256 keyed by AUTH_SECRET: the secret is 256 random
 * bits, so a fast keyed hash is enough and keeps token issuance cheap.
 */
export const apiClientSecrets = pgTable(
  'api_client_secrets',
  {
    key: uuid('key').primaryKey().defaultRandom(),
    clientKey: uuid('client_key').notNull().references(() => apiClients.key, { onDelete: 'cascade' }),
    secretHash: text('secret_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    // Email the holders of Manage API clients 14 days before expiry (APIC-2).
    remind: boolean('remind').notNull().default(true),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    // Set when a newer secret replaced this one: it works until then (the rotation's overlap).
    retiresAt: timestamp('retires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('api_client_secrets_client_idx').on(t.clientKey, t.createdAt), index('api_client_secrets_expiry_idx').on(t.expiresAt).where(sql`${t.remind} and ${t.remindedAt} is null and ${t.retiresAt} is null`)],
)

/** The permissions an API client holds, from the same registry as organization roles (APIC-2). */
export const apiClientPermissions = pgTable(
  'api_client_permissions',
  {
    clientKey: uuid('client_key').notNull().references(() => apiClients.key, { onDelete: 'cascade' }),
    permissionKey: uuid('permission_key').notNull().references(() => permissions.key, { onDelete: 'restrict' }),
    // null: every stage; otherwise only these stages (AUTHZ-3).
    stageKeys: uuid('stage_keys').array(),
  },
  (t) => [primaryKey({ columns: [t.clientKey, t.permissionKey] })],
)

export type ApiClient = typeof apiClients.$inferSelect
export type ApiClientSecret = typeof apiClientSecrets.$inferSelect
