import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core'

/**
 * Keys that sign API access tokens (APIC-3): generated on first use, the private key encrypted
 * with a key derived from AUTH_SECRET. The newest unretired key signs; a retired key stays in the
 * JWKS until the last token it signed has expired.
 */
export const signingKeys = pgTable('signing_keys', {
  kid: text('kid').primaryKey(),
  algorithm: text('algorithm').notNull(),
  publicJwk: jsonb('public_jwk').notNull(),
  privateKeyEncrypted: text('private_key_encrypted').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
})

export type SigningKey = typeof signingKeys.$inferSelect
