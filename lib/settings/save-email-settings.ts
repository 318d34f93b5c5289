import 'server-only'
import { eq, sql } from 'drizzle-orm'
import { emailSettings } from '@/db/schema'
import { audit, diff } from '../audit/record'
import { requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { encryptSecret } from '../crypto/secrets'
import { ValidationError } from '../errors'
import { EMAIL_PASSWORD_CONTEXT } from '../mail/transport'
import { parse } from '../validation'
import { audited, emailSettingsView, type EmailSettingsView } from './email-settings-view'
import { saveEmailSettingsSchema } from './schemas'

/**
 * Saves the organization's SMTP server (MAIL-1, EMAIL-1); from then on all mail leaves through it
 * instead of SMTP_URL. The password is encrypted at rest (lib/crypto/secrets.ts) and never shown
 * again: an empty password keeps the saved one; no username means no authentication, and any
 * saved password is dropped.
 */
export async function saveEmailSettings(ctx: Ctx, input: unknown): Promise<EmailSettingsView> {
  const p = parse(saveEmailSettingsSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'config.email')
    // One row at most: the first two saves must not both insert.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('gatehouse:email-settings'))`)
    const [current] = await tx.select().from(emailSettings).limit(1).for('update')
    let passwordEncrypted: string | null = null
    if (p.username) {
      if (p.password) passwordEncrypted = encryptSecret(p.password, EMAIL_PASSWORD_CONTEXT)
      else if (current?.passwordEncrypted) passwordEncrypted = current.passwordEncrypted
      else throw new ValidationError('Some fields need attention.', { password: ['Enter the password that goes with this username.'] })
    }
    const values = {
      host: p.host,
      port: p.port,
      security: p.security,
      username: p.username || null,
      passwordEncrypted,
      fromName: p.fromName,
      fromAddress: p.fromAddress,
      updatedAt: nowOf(ctx),
      updatedBy: ctx.actor?.type === 'user' ? ctx.actor.userKey : null,
    }
    const passwordReplaced = Boolean(p.username && p.password)
    const after = audited({ ...p, passwordStored: passwordEncrypted !== null })
    const changes = current ? diff(audited(emailSettingsView(current)), after) : { after }
    if (current && Object.keys(changes.after).length === 0 && !passwordReplaced) return emailSettingsView(current)

    const [saved] = current
      ? await tx.update(emailSettings).set(values).where(eq(emailSettings.id, true)).returning()
      : await tx.insert(emailSettings).values(values).returning()
    await audit(tx, ctx, {
      action: current ? 'email_settings.updated' : 'email_settings.created',
      target: { type: 'email_settings', label: `${p.host}:${p.port}` },
      ...changes,
      details: current && passwordReplaced ? { passwordReplaced: true } : undefined,
    })
    return emailSettingsView(saved)
  })
}
