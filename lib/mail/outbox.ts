import 'server-only'
import { desc, eq, lt, sql } from 'drizzle-orm'
import type { Db, Tx } from '@/db/client'
import { getDb } from '@/db/client'
import { mailOutbox, type MailMessage } from '@/db/schema'
import { logger } from '../logger'
import type { Mail } from './templates'
import { describeSmtpError, MailConfigurationError, mailDelivery, openMailTransport, type MailTransport } from './transport'

/** Queues a message on the caller's transaction: it is sent only if the change commits. */
export async function enqueueMail(tx: Tx, mail: Mail): Promise<void> {
  await tx.insert(mailOutbox).values({ template: mail.template, toAddress: mail.to, subject: mail.subject, textBody: mail.text, htmlBody: mail.html })
}

/** Queues a message and returns its outbox id, for a caller that delivers it at once and reports how that went. */
export async function enqueueMailReturningId(tx: Tx, mail: Mail): Promise<number> {
  const [row] = await tx
    .insert(mailOutbox)
    .values({ template: mail.template, toAddress: mail.to, subject: mail.subject, textBody: mail.text, htmlBody: mail.html })
    .returning({ id: mailOutbox.id })
  return row.id
}

/**
 * Whether mail leaves the outbox at all: through the SMTP server saved in the settings, or through
 * SMTP_URL. False means it waits in /dev/mailbox (MAIL-1), and the portal says so.
 */
export async function isMailDelivered(): Promise<boolean> {
  return (await mailDelivery()) !== 'outbox'
}

// Claim in one statement and send outside any transaction: SMTP can be slow, and an open
// transaction would hold up every other query on the embedded database. A claim older than five
// minutes belonged to a sender that died and may be taken again.
async function claim(db: Db, only?: number): Promise<MailMessage[]> {
  return (
    await db.execute<MailMessage>(sql`
      update ${mailOutbox} set claimed_at = now()
      where id in (
        select id from ${mailOutbox}
        where sent_at is null and (claimed_at is null or claimed_at < now() - interval '5 minutes')
          ${only === undefined ? sql`` : sql`and id = ${only}`}
        order by id limit 50 for update skip locked)
      returning id, template, to_address as "toAddress", subject, text_body as "textBody", html_body as "htmlBody"`)
  ).rows
}

/** Sends one claimed message; erases its bodies (they carry codes) once sent. Returns the error, if any. */
async function send(db: Db, transport: MailTransport, m: MailMessage): Promise<string | null> {
  try {
    await transport.transporter.sendMail({ from: transport.from, to: m.toAddress, subject: m.subject, text: m.textBody ?? '', html: m.htmlBody ?? undefined })
    await db.update(mailOutbox).set({ sentAt: new Date(), textBody: null, htmlBody: null, lastError: null }).where(eq(mailOutbox.id, m.id))
    return null
  } catch (error) {
    const message = describeSmtpError(error, transport.secrets)
    logger.warn('mail delivery failed', { template: m.template, messageId: m.id, via: transport.source, error: message })
    await db.update(mailOutbox).set({ lastError: message, claimedAt: null }).where(eq(mailOutbox.id, m.id))
    return message
  }
}

/** The transport, or null (outbox only, or a saved configuration that cannot be used: logged). */
async function transportOrNull(db: Db): Promise<MailTransport | null> {
  try {
    return await openMailTransport(db)
  } catch (error) {
    if (!(error instanceof MailConfigurationError)) throw error
    logger.warn('mail delivery is not possible', { error: error.message })
    return null
  }
}

/**
 * Sends queued messages through the saved SMTP server or SMTP_URL (lib/mail/transport.ts). With
 * neither, the messages stay in the outbox for /dev/mailbox (MAIL-1).
 */
export async function deliverPendingMail(): Promise<number> {
  const db = await getDb()
  const transport = await transportOrNull(db)
  if (!transport) return 0
  try {
    let sent = 0
    for (const m of await claim(db)) if ((await send(db, transport, m)) === null) sent++
    return sent
  } finally {
    transport.transporter.close()
  }
}

export type DeliveryOutcome = { state: 'sent' } | { state: 'failed'; error: string } | { state: 'outbox' }

/**
 * Delivers one queued message now and says how it went, for a caller that reports the result
 * (Settings → Send test email). If another sender took it first, waits for that one's result.
 */
export async function deliverMail(id: number, waitMs = 45_000): Promise<DeliveryOutcome> {
  const db = await getDb()
  let transport: MailTransport | null
  try {
    transport = await openMailTransport(db)
  } catch (error) {
    if (error instanceof MailConfigurationError) return { state: 'failed', error: error.message }
    throw error
  }
  if (!transport) return { state: 'outbox' }
  try {
    const [mine] = await claim(db, id)
    if (mine) {
      const error = await send(db, transport, mine)
      return error === null ? { state: 'sent' } : { state: 'failed', error }
    }
  } finally {
    transport.transporter.close()
  }
  const deadline = Date.now() + waitMs
  while (Date.now() < deadline) {
    const [row] = await db.select({ sentAt: mailOutbox.sentAt, claimedAt: mailOutbox.claimedAt, lastError: mailOutbox.lastError }).from(mailOutbox).where(eq(mailOutbox.id, id))
    if (!row) return { state: 'failed', error: 'The message is no longer in the outbox.' }
    if (row.sentAt) return { state: 'sent' }
    if (!row.claimedAt && row.lastError) return { state: 'failed', error: row.lastError }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return { state: 'failed', error: 'The SMTP server did not answer in time. The message stays queued and is retried with the next email.' }
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
