import 'server-only'
import { desc, eq, lt, sql } from 'drizzle-orm'
import nodemailer from 'nodemailer'
import type { Tx } from '@/db/client'
import { getDb } from '@/db/client'
import { mailOutbox, type MailMessage } from '@/db/schema'
import { env } from '../env'
import { logger } from '../logger'
import type { Mail } from './templates'

/** Queues a message on the caller's transaction: it is sent only if the change commits. */
export async function enqueueMail(tx: Tx, mail: Mail): Promise<void> {
  await tx.insert(mailOutbox).values({ template: mail.template, toAddress: mail.to, subject: mail.subject, textBody: mail.text, htmlBody: mail.html })
}

export const mailIsDelivered = (): boolean => Boolean(env().SMTP_URL)

let transport: nodemailer.Transporter | undefined

/**
 * Sends queued messages through SMTP when it is configured, then erases their bodies (they carry
 * codes). Without SMTP the messages stay in the outbox for /dev/mailbox (MAIL-1).
 */
export async function deliverPendingMail(): Promise<number> {
  const { SMTP_URL, MAIL_FROM } = env()
  if (!SMTP_URL) return 0
  transport ??= nodemailer.createTransport(SMTP_URL)
  const db = await getDb()
  // Claim in one statement and send outside any transaction: SMTP can be slow, and an open
  // transaction would hold up every other query on the embedded database. A claim older than
  // five minutes belonged to a sender that died and may be taken again.
  const pending = (
    await db.execute<MailMessage>(sql`
      update ${mailOutbox} set claimed_at = now()
      where id in (
        select id from ${mailOutbox}
        where sent_at is null and (claimed_at is null or claimed_at < now() - interval '5 minutes')
        order by id limit 50 for update skip locked)
      returning id, template, to_address as "toAddress", subject, text_body as "textBody", html_body as "htmlBody"`)
  ).rows
  let sent = 0
  for (const m of pending) {
    try {
      await transport.sendMail({ from: MAIL_FROM, to: m.toAddress, subject: m.subject, text: m.textBody ?? '', html: m.htmlBody ?? undefined })
      await db.update(mailOutbox).set({ sentAt: new Date(), textBody: null, htmlBody: null, lastError: null }).where(eq(mailOutbox.id, m.id))
      sent++
    } catch (error) {
      logger.warn('mail delivery failed', { template: m.template, messageId: m.id, error: (error as Error).message })
      await db.update(mailOutbox).set({ lastError: (error as Error).message.slice(0, 500), claimedAt: null }).where(eq(mailOutbox.id, m.id))
    }
  }
  return sent
}

/** Fire-and-forget delivery after a use case commits; failures are logged and retried next time. */
export function kickMailDelivery(): void {
  deliverPendingMail().catch((error) => logger.warn('mail delivery failed', { error: (error as Error).message }))
}

export async function listOutbox(tx: Tx, beforeId?: number, limit = 50) {
  return tx
    .select()
    .from(mailOutbox)
    .where(beforeId ? lt(mailOutbox.id, beforeId) : undefined)
    .orderBy(desc(mailOutbox.id))
    .limit(limit)
}
