import { sql } from 'drizzle-orm'
import { bigint, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core'

// Outgoing mail, written in the transaction that decides to send it (a transactional outbox).
// With SMTP configured, rows are delivered after commit and their bodies erased; without it they
// stay here for administrators to read at /dev/mailbox (MAIL-1).
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    template: text('template').notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body'),
    htmlBody: text('html_body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    // Set when a sender takes the message, so that two instances never send it twice.
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    lastError: text('last_error'),
  },
  (t) => [index('mail_outbox_created_idx').on(t.createdAt, t.id), index('mail_outbox_unsent_idx').on(t.id).where(sql`sent_at is null`)],
)

export type MailMessage = typeof mailOutbox.$inferSelect
