import type { EmailSettings } from '@/db/schema'

/** The saved SMTP server as anyone may see it: never the password, only whether one is stored. */
export type EmailSettingsView = {
  host: string
  port: number
  security: 'starttls' | 'tls' | 'none'
  username: string
  passwordStored: boolean
  fromName: string
  fromAddress: string
  updatedAt: Date
}

export const emailSettingsView = (row: EmailSettings): EmailSettingsView => ({
  host: row.host,
  port: row.port,
  security: row.security as EmailSettingsView['security'],
  username: row.username ?? '',
  passwordStored: row.passwordEncrypted !== null,
  fromName: row.fromName,
  fromAddress: row.fromAddress,
  updatedAt: row.updatedAt,
})

/** What the audit trail records of the settings: everything but the password itself. */
export const audited = (v: Omit<EmailSettingsView, 'updatedAt'>) => ({
  host: v.host,
  port: v.port,
  security: v.security,
  username: v.username,
  passwordStored: v.passwordStored,
  fromName: v.fromName,
  fromAddress: v.fromAddress,
})
