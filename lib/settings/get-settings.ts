import 'server-only'
import { asc, desc, eq, sql } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { apiClients, emailSettings, groups, organizations, registrationGroups, stages } from '@/db/schema'
import type { PasswordPolicyMode } from '../auth/password-policy'
import { nowOf, withTransaction, type Ctx } from '../context'
import { env } from '../env'
import { PreconditionFailedError } from '../errors'
import { mailDelivery, type MailDelivery } from '../mail/transport'
import { liveStageSessionCounts, requireSettingsAccess, type SettingsAccess } from './access'
import { emailSettingsView, type EmailSettingsView } from './email-settings-view'
import type { ApiLimits } from './schemas'

/** The most groups a stage's "join on sign-up" picker lists; chosen ones always come first. */
const GROUP_CHOICES = 500

export type StageSettingsView = {
  key: string
  code: string
  name: string
  /** The stage's hosted pages, for the administrator to link to from the apps. */
  hostedUrls: { signUp: string; signIn: string }
  /** Changed with Manage authentication; shown read-only to those who manage stages. */
  sessions: { maxMinutes: number; idleMinutes: number; liveSessions: number }
  selfRegistration: { enabled: boolean; allowedDomains: string[]; groups: Array<{ key: string; name: string; selected: boolean }>; moreGroups: boolean }
}

export type EmailDeliveryView = {
  /** What delivers mail right now. */
  delivery: MailDelivery
  saved: EmailSettingsView | null
  /** SMTP_URL's server (never its password) and MAIL_FROM, when set. */
  environment: { server: string; from: string } | null
}

export type SettingsView = {
  access: SettingsAccess
  organization: { key: string; name: string; passwordPolicy: PasswordPolicyMode; apiLimits: ApiLimits & { apiClients: number } }
  /** Null when the member may see no stage settings. */
  stages: StageSettingsView[] | null
  internalDomains: string[] | null
  email: EmailDeliveryView | null
}

/**
 * The settings page (UI-10, ORG-3): every section the member may see, with what they may change
 * (`access`). The organization's name and password rule are shown to anyone who opens the page;
 * stage settings to those who manage stages or authentication; internal domains with View
 * subscription; email delivery with Manage Email configurations. Anyone else gets a 403.
 */
export async function getSettings(ctx: Ctx): Promise<SettingsView> {
  return withTransaction(ctx, async (tx, ctx) => {
    const access = await requireSettingsAccess(tx, ctx)
    const [org] = await tx.select().from(organizations).limit(1)
    if (!org) throw new PreconditionFailedError('Gatehouse has not been set up yet.')
    const [{ clients }] = await tx.select({ clients: sql<number>`count(*)::int` }).from(apiClients)
    return {
      access,
      organization: {
        key: org.key,
        name: org.name,
        passwordPolicy: org.passwordPolicy as PasswordPolicyMode,
        apiLimits: { apiRateLimit: org.apiRateLimit, bulkRateLimit: org.bulkRateLimit, apiClientLimit: org.apiClientLimit, apiClients: clients },
      },
      stages: access.renameStages || access.manageAuthentication ? await stageSettings(tx, nowOf(ctx)) : null,
      internalDomains: access.viewInternalDomains ? org.internalDomains : null,
      email: access.manageEmail ? await emailDelivery(tx) : null,
    }
  })
}

async function stageSettings(tx: Tx, now: Date): Promise<StageSettingsView[]> {
  const rows = await tx.select().from(stages).orderBy(asc(stages.position))
  const live = await liveStageSessionCounts(tx, now)
  const appUrl = env().APP_URL.replace(/\/$/, '')
  const out: StageSettingsView[] = []
  for (const s of rows) {
    const choices = await tx
      .select({ key: groups.key, name: groups.name, selected: sql<boolean>`${registrationGroups.groupKey} is not null` })
      .from(groups)
      .leftJoin(registrationGroups, eq(registrationGroups.groupKey, groups.key))
      .where(eq(groups.stageKey, s.key))
      .orderBy(desc(sql`${registrationGroups.groupKey} is not null`), asc(sql`lower(${groups.name})`), asc(groups.key))
      .limit(GROUP_CHOICES + 1)
    const shown = choices.slice(0, GROUP_CHOICES).sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }))
    out.push({
      key: s.key,
      code: s.code,
      name: s.name,
      hostedUrls: { signUp: `${appUrl}/s/${s.code}/sign-up`, signIn: `${appUrl}/s/${s.code}/sign-in` },
      sessions: { maxMinutes: s.sessionMaxMinutes, idleMinutes: s.sessionIdleMinutes, liveSessions: live.get(s.key) ?? 0 },
      selfRegistration: { enabled: s.selfRegistrationEnabled, allowedDomains: s.selfRegistrationDomains, groups: shown, moreGroups: choices.length > GROUP_CHOICES },
    })
  }
  return out
}

async function emailDelivery(tx: Tx): Promise<EmailDeliveryView> {
  const [saved] = await tx.select().from(emailSettings).limit(1)
  const { SMTP_URL, MAIL_FROM } = env()
  let environment: EmailDeliveryView['environment'] = null
  if (SMTP_URL) {
    const url = new URL(SMTP_URL)
    environment = { server: `${url.protocol.replace(':', '')}://${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`, from: MAIL_FROM }
  }
  return { delivery: await mailDelivery(tx), saved: saved ? emailSettingsView(saved) : null, environment }
}
