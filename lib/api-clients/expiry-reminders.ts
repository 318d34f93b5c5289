import 'server-only'
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm'
import { getDb, type Executor, type Tx } from '@/db/client'
import { apiClients, apiClientSecrets, organizations, roleAssignments, rolePermissions, users } from '@/db/schema'
import { permissionDefs } from '../authz/catalogue'
import { conferredBy } from '../authz/evaluate'
import { activeOrgGrantCondition, loadCatalogue } from '../authz/load'
import type { Grant } from '../authz/model'
import { env } from '../env'
import { scheduleJob } from '../jobs/runner'
import { logger } from '../logger'
import { enqueueMail, kickMailDelivery } from '../mail/outbox'
import { apiClientExpiryReminderMail } from '../mail/templates'
import { REMINDER_DAYS, utcDateString } from './expiry'
import { MANAGE_API_CLIENTS } from './store'

export const EXPIRY_REMINDER_JOB = 'api-client-expiry-reminders'

/** One scan a day is enough (reminders go out days ahead); the dedupe key makes scheduling idempotent across instances. */
export function scheduleExpiryReminderScan(tx: Executor, now: Date): Promise<boolean> {
  return scheduleJob(tx, { kind: EXPIRY_REMINDER_JOB, dedupeKey: `${EXPIRY_REMINDER_JOB}:${utcDateString(now)}`, runAt: now })
}

const slugByKey = new Map(permissionDefs.map((p) => [p.key, p.slug]))

/**
 * The Active users who hold Manage API clients at organization scope now, by their email. Which
 * roles confer it is the evaluator's answer (inheritance included), asked once per role; the users
 * holding those roles come from one query, whatever their number.
 */
export async function apiClientManagers(tx: Tx, now: Date): Promise<Array<{ email: string; name: string }>> {
  const catalogue = await loadCatalogue(tx)
  const rows = await tx.select({ roleKey: rolePermissions.roleKey, permissionKey: rolePermissions.permissionKey, stageKeys: rolePermissions.stageKeys }).from(rolePermissions)
  const byRole = new Map<string, Grant>()
  for (const r of rows) {
    const slug = slugByKey.get(r.permissionKey)
    if (!slug) continue
    const grant = byRole.get(r.roleKey) ?? { roleKey: r.roleKey, roleName: '', appKey: null, appName: null, startsAt: null, endsAt: null, permissions: [] }
    grant.permissions.push({ slug, stageKeys: r.stageKeys })
    byRole.set(r.roleKey, grant)
  }
  const roleKeys = [...byRole.values()].filter((g) => conferredBy(g, catalogue).some((c) => c.slug === MANAGE_API_CLIENTS)).map((g) => g.roleKey)
  if (roleKeys.length === 0) return []
  const holders = await tx
    .selectDistinct({ email: users.email, name: users.name })
    .from(users)
    .innerJoin(roleAssignments, eq(roleAssignments.userKey, users.key))
    .where(and(eq(users.status, 'Active'), isNotNull(users.email), inArray(roleAssignments.roleKey, roleKeys), activeOrgGrantCondition(now)))
  return holders.map((h) => ({ email: h.email!, name: h.name }))
}

type DueSecret = { key: string; clientKey: string; expiresAt: Date }

/**
 * Emails every holder of Manage API clients about the secrets that expire within 14 days and have
 * not been reminded of (APIC-2): only a client's current secret, with the reminder chosen, of a
 * client that is not suspended. Marking the secrets and queuing the mail happen in one transaction,
 * and the secrets are claimed with SKIP LOCKED: run twice, or on two instances at once, each
 * reminder goes out once.
 */
export async function sendApiClientExpiryReminders(now: Date): Promise<{ secrets: number; emails: number }> {
  const db = await getDb()
  const result = await db.transaction(async (tx) => {
    const horizon = new Date(now.getTime() + REMINDER_DAYS * 86_400_000)
    const claimed = await tx.execute(sql`
      update ${apiClientSecrets} set reminded_at = ${now}
      where key in (
        select s.key from ${apiClientSecrets} s join ${apiClients} c on c.key = s.client_key
        where s.remind and s.reminded_at is null and s.retires_at is null
          and s.expires_at > ${now} and s.expires_at <= ${horizon} and c.suspended_at is null
        for update of s skip locked)
      and reminded_at is null
      returning key, client_key as "clientKey", expires_at as "expiresAt"`)
    const due = (claimed.rows as DueSecret[]).map((r) => ({ ...r, expiresAt: new Date(r.expiresAt) }))
    if (due.length === 0) return { secrets: 0, emails: 0 }
    const clients = await tx.select({ key: apiClients.key, name: apiClients.name, clientId: apiClients.clientId }).from(apiClients).where(inArray(apiClients.key, [...new Set(due.map((d) => d.clientKey))]))
    const byKey = new Map(clients.map((c) => [c.key, c]))
    const appUrl = env().APP_URL.replace(/\/$/, '')
    const expiring = due
      .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
      .map((d) => ({ name: byKey.get(d.clientKey)!.name, clientId: byKey.get(d.clientKey)!.clientId, expiresAt: d.expiresAt, link: `${appUrl}/api-clients/${d.clientKey}?tab=secret` }))
    const [org] = await tx.select({ name: organizations.name }).from(organizations)
    const recipients = await apiClientManagers(tx, now)
    if (recipients.length === 0) logger.warn('API client secrets expire soon, but nobody active can manage API clients to be told', { secrets: due.length })
    for (const r of recipients) await enqueueMail(tx, apiClientExpiryReminderMail({ org: org?.name ?? 'Gatehouse', to: r.email, clients: expiring }))
    return { secrets: due.length, emails: recipients.length }
  })
  if (result.emails > 0) kickMailDelivery()
  return result
}
