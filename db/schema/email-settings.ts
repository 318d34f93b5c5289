import { sql } from 'drizzle-orm'
import { boolean, check, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/**
 * The organization's SMTP server (MAIL-1, settings). At most one row. When it exists it is used
 * instead of SMTP_URL. The password is encrypted with a key derived from AUTH_SECRET and is never
 * shown again once saved.
 */
export const emailSettings = pgTable(
  'email_settings',
  {
    id: boolean('id').primaryKey().default(true),
    host: text('host').notNull(),
    port: integer('port').notNull(),
    // 'starttls' (upgrade on a plain connection, usually 587), 'tls' (implicit TLS, usually 465) or 'none'.
    security: text('security').notNull(),
    username: text('username'),
    passwordEncrypted: text('password_encrypted'),
    fromName: text('from_name').notNull(),
    fromAddress: text('from_address').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [
    check('email_settings_singleton', sql`${t.id}`),
    // Port 25 is refused: it is for server-to-server relay and usually blocked for submission.
    check('email_settings_port', sql`${t.port} between 1 and 65535 and ${t.port} <> 25`),
    check('email_settings_security', sql`${t.security} in ('starttls', 'tls', 'none')`),
  ],
)

export type EmailSettings = typeof emailSettings.$inferSelect
