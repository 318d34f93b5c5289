import 'server-only'
import { sql } from 'drizzle-orm'
import nodemailer from 'nodemailer'
import type SMTPTransport from 'nodemailer/lib/smtp-transport'
import { getDb, type Executor } from '@/db/client'
import { emailSettings, type EmailSettings } from '@/db/schema'
import { decryptSecret, SecretDecryptionError } from '../crypto/secrets'
import { env } from '../env'

/** The additional authenticated data of the stored SMTP password (lib/crypto/secrets.ts). */
export const EMAIL_PASSWORD_CONTEXT = 'email_settings.password'

/**
 * Where mail goes (MAIL-1): the SMTP server saved under Settings → Email delivery when there is
 * one, else SMTP_URL from the server configuration, else nowhere: it stays in the outbox for
 * /dev/mailbox.
 */
export type MailDelivery = 'settings' | 'environment' | 'outbox'

export type MailTransport = {
  source: Exclude<MailDelivery, 'outbox'>
  transporter: nodemailer.Transporter<SMTPTransport.SentMessageInfo>
  from: string | { name: string; address: string }
  /** Values that must never appear in an error message shown or stored (the SMTP password). */
  secrets: string[]
}

/** The mail configuration cannot be used as stored; the message says what to do. */
export class MailConfigurationError extends Error {}

export async function mailDelivery(db?: Executor): Promise<MailDelivery> {
  const executor = db ?? (await getDb())
  const [row] = (await executor.execute<{ stored: boolean }>(sql`select exists (select 1 from ${emailSettings}) as stored`)).rows
  if (row?.stored) return 'settings'
  return env().SMTP_URL ? 'environment' : 'outbox'
}

type SmtpServer = Pick<EmailSettings, 'host' | 'port' | 'security' | 'username'>

/**
 * nodemailer options for a stored server. STARTTLS is required, not opportunistic, so that a
 * man in the middle cannot strip it and read the password; "none" never upgrades.
 */
export function smtpOptions(server: SmtpServer, password: string | null): SMTPTransport.Options {
  return {
    host: server.host,
    port: server.port,
    secure: server.security === 'tls',
    requireTLS: server.security === 'starttls',
    ignoreTLS: server.security === 'none',
    auth: server.username ? { user: server.username, pass: password ?? '' } : undefined,
    // A settings page waits for the test email: fail within seconds rather than minutes.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  }
}

/** The transport mail leaves through now, or null when it stays in the outbox. */
export async function openMailTransport(db: Executor): Promise<MailTransport | null> {
  const [stored] = await db.select().from(emailSettings).limit(1)
  if (stored) {
    let password: string | null = null
    if (stored.passwordEncrypted) {
      try {
        password = decryptSecret(stored.passwordEncrypted, EMAIL_PASSWORD_CONTEXT)
      } catch (error) {
        if (error instanceof SecretDecryptionError)
          throw new MailConfigurationError('The saved SMTP password cannot be read: AUTH_SECRET has changed since it was saved. Enter the password again under Settings → Email delivery.')
        throw error
      }
    }
    return {
      source: 'settings',
      transporter: nodemailer.createTransport(smtpOptions(stored, password)),
      from: stored.fromName ? { name: stored.fromName, address: stored.fromAddress } : stored.fromAddress,
      secrets: password ? [password] : [],
    }
  }
  const { SMTP_URL, MAIL_FROM } = env()
  if (!SMTP_URL) return null
  const urlPassword = decodeURIComponent(new URL(SMTP_URL).password)
  return { source: 'environment', transporter: nodemailer.createTransport(SMTP_URL), from: MAIL_FROM, secrets: urlPassword ? [urlPassword] : [] }
}

/**
 * An SMTP failure as a sentence for the outbox and the settings page: the server's own words,
 * with every secret (and its base64 forms, as AUTH PLAIN/LOGIN send them) blotted out.
 */
export function describeSmtpError(error: unknown, secrets: string[]): string {
  let message = error instanceof Error ? error.message : String(error)
  for (const secret of secrets.filter((s) => s.length > 0)) {
    for (const form of [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)]) message = message.split(form).join('[redacted]')
  }
  return message.replace(/\s+/g, ' ').trim().slice(0, 500) || 'The SMTP server did not accept the message.'
}
