import 'server-only'
import { emailSettings } from '@/db/schema'
import { audit } from '../audit/record'
import { requirePermission } from '../authz'
import { withTransaction, type Ctx } from '../context'
import { NotFoundError } from '../errors'
import { parse } from '../validation'
import { audited, emailSettingsView } from './email-settings-view'
import { removeEmailSettingsSchema } from './schemas'

/** Forgets the saved SMTP server: mail goes through SMTP_URL again, or stays in the outbox without it. */
export async function removeEmailSettings(ctx: Ctx, input: unknown = {}): Promise<void> {
  parse(removeEmailSettingsSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'config.email')
    const [removed] = await tx.delete(emailSettings).returning()
    if (!removed) throw new NotFoundError('The saved SMTP server')
    await audit(tx, ctx, { action: 'email_settings.removed', target: { type: 'email_settings', label: `${removed.host}:${removed.port}` }, before: audited(emailSettingsView(removed)) })
  })
}
