import 'server-only'
import { and, asc, desc, eq, isNull, lt } from 'drizzle-orm'
import nodemailer from 'nodemailer'
import type { Tx } from '@/db/client'
import { getDb } from '@/db/client'
import { mailOutbox } from '@/db/schema'
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
  const pending = await db.select().from(mailOutbox).where(isNull(mailOutbox.sentAt)).orderBy(asc(mailOutbox.id)).limit(50)
  let sent = 0
  for (const m of pending) {
    try {
      await transport.sendMail({ from: MAIL_FROM, to: m.toAddress, subject: m.subject, text: m.textBody ?? '', html: m.htmlBody ?? undefined })
      await db.update(mailOutbox).set({ sentAt: new Date(), textBody: null, htmlBody: null, lastError: null }).where(eq(mailOutbox.id, m.id))
      sent++
    } catch (error) {
      logger.warn('mail delivery failed', { template: m.template, messageId: m.id, error: (error as Error).message })
      await db.update(mailOutbox).set({ lastError: (error as Error).message.slice(0, 500) }).where(eq(mailOutbox.id, m.id))
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
    .where(beforeId ? and(lt(mailOutbox.id, beforeId)) : undefined)
    .orderBy(desc(mailOutbox.id))
    .limit(limit)
}
