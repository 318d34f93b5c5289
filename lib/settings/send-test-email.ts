import 'server-only'
import { and, eq, isNull } from 'drizzle-orm'
import { getDb } from '@/db/client'
import { mailOutbox, organizations } from '@/db/schema'
import { audit } from '../audit/record'
import { requirePermission } from '../authz'
import { withTransaction, type Ctx } from '../context'
import { deliverMail, enqueueMailReturningId } from '../mail/outbox'
import { testMail } from '../mail/templates'
import { mailDelivery, type MailDelivery } from '../mail/transport'
import { parse } from '../validation'
import { sendTestEmailSchema } from './schemas'

export type TestEmailResult =
  | { delivered: true; via: Exclude<MailDelivery, 'outbox'> }
  | { delivered: false; via: 'outbox' }
  | { delivered: false; via: Exclude<MailDelivery, 'outbox'>; error: string }

/**
 * Settings → Send test email: queues a test message and delivers it at once through whatever
 * delivers mail now (the saved server, or SMTP_URL), reporting the SMTP server's answer. A failed
 * test message is not retried later: its result was shown, and a retry would arrive unexpectedly.
 * Runs its own transaction, because delivery must see the committed message.
 */
export async function sendTestEmail(ctx: Ctx, input: unknown): Promise<TestEmailResult> {
  const { to } = parse(sendTestEmailSchema, input)
  if (ctx.tx) throw new Error('sendTestEmail delivers after its own commit; call it outside a transaction.')
  const { id, via } = await withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'config.email')
    const [org] = await tx.select({ name: organizations.name }).from(organizations).limit(1)
    const id = await enqueueMailReturningId(tx, testMail({ org: org?.name ?? 'Gatehouse', to, sentBy: ctx.actor?.label ?? 'Gatehouse' }))
    const via = await mailDelivery(tx)
    await audit(tx, ctx, { action: 'email_settings.test_sent', target: { type: 'email_settings', label: 'Test email' }, details: { to, via } })
    return { id, via }
  })
  if (via === 'outbox') return { delivered: false, via }
  const outcome = await deliverMail(id)
  if (outcome.state === 'sent') return { delivered: true, via }
  if (outcome.state === 'outbox') return { delivered: false, via: 'outbox' }
  const db = await getDb()
  await db.delete(mailOutbox).where(and(eq(mailOutbox.id, id), isNull(mailOutbox.sentAt), isNull(mailOutbox.claimedAt)))
  return { delivered: false, via, error: outcome.error }
}
