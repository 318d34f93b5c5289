import { and, eq, isNotNull } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { apiClientSecrets, jobs, mailOutbox, users } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { jobHandlers } from '@/lib/jobs/handlers'
import { runDueJobs } from '@/lib/jobs/runner'
import { appScopedMember, createApp } from '@/test/access-factories'
import { ADMIN, setupOrganization, useTestDatabase } from '@/test/harness'
import { createMember, createRole, grantHolders } from '@/test/factories'
import { createApiClient } from './create-api-client'
import { scheduleExpiryReminderScan, sendApiClientExpiryReminders } from './expiry-reminders'
import { rotateApiClientSecret } from './rotate-api-client-secret'
import { suspendApiClient } from './suspend-api-client'

const T0 = new Date('2026-06-01T06:00:00Z')
const DAY = 86_400_000
const day = (n: number) => new Date(T0.getTime() + n * DAY)
const at = (ctx: Ctx, now: Date): Ctx => ({ ...ctx, now: () => now })

async function reminders() {
  const db = await getDb()
  return db.select().from(mailOutbox).where(eq(mailOutbox.template, 'api-client-expiry-reminder'))
}

async function remindedSecrets() {
  const db = await getDb()
  return db.select({ clientKey: apiClientSecrets.clientKey }).from(apiClientSecrets).where(isNotNull(apiClientSecrets.remindedAt))
}

describe('API client secret expiry reminders (APIC-2)', () => {
  useTestDatabase()
  let admin: Ctx
  let managerEmail: string

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = at(org.admin, T0)
    // Who holds Manage API clients: the administrator and a custom role; not a Developer, not an
    // inactive administrator, not an app-scope grant (it is organization-only), not an expired grant.
    await createRole('API desk', [{ slug: 'users.manage_api_clients' }])
    managerEmail = (await createMember(org.admin, { role: 'API desk' })).email
    await createMember(org.admin, { role: 'Developer' })
    const [inactive] = await grantHolders('Administrator', 1, { prefix: 'Former admin' })
    const db = await getDb()
    await db.update(users).set({ status: 'Inactive', email: 'former@example.test' }).where(eq(users.key, inactive))
    const [expired] = await grantHolders('Administrator', 1, { prefix: 'Past admin', endsAt: new Date('2020-01-01T00:00:00Z') })
    await db.update(users).set({ email: 'past@example.test' }).where(eq(users.key, expired))
    const app = await createApp('Reminder app')
    await appScopedMember(org.admin, app.key, ['users.manage_api_clients', 'asset.open'])
  })

  it('emails every active holder once, 14 days ahead, and marks the secret in the same transaction', async () => {
    const soon = await createApiClient(admin, { name: 'Soon', expiresOn: '2026-06-10' })
    await createApiClient(admin, { name: 'Later', expiresOn: '2026-08-01' })
    await createApiClient(admin, { name: 'Quiet', expiresOn: '2026-06-05', remind: false })
    const paused = await createApiClient(admin, { name: 'Paused', expiresOn: '2026-06-06' })
    await suspendApiClient(admin, { clientKey: paused.clientKey })

    expect(await sendApiClientExpiryReminders(T0)).toEqual({ secrets: 1, emails: 2 })
    const mails = await reminders()
    expect(mails.map((m) => m.toAddress).sort()).toEqual([ADMIN.email, managerEmail].sort())
    expect(mails[0].subject).toBe('Acme: the secret of API client Soon expires soon')
    expect(mails[0].textBody).toContain(soon.clientId)
    expect(mails[0].textBody).toContain(`/api-clients/${soon.clientKey}?tab=secret`)
    expect(mails[0].textBody).toContain('Wed, 10 Jun 2026 23:59:59 GMT')
    expect(mails[0].textBody).not.toContain(soon.clientSecret)
    expect(await remindedSecrets()).toEqual([{ clientKey: soon.clientKey }])

    // Running again, the same day or later, sends nothing more for it.
    expect(await sendApiClientExpiryReminders(T0)).toEqual({ secrets: 0, emails: 0 })
    expect(await sendApiClientExpiryReminders(day(3))).toEqual({ secrets: 0, emails: 0 })
    expect(await reminders()).toHaveLength(2)
  })

  it('sends once when two runs race, listing every due client in one email per holder', async () => {
    const db = await getDb()
    await db.delete(mailOutbox)
    await createApiClient(admin, { name: 'Race one', expiresOn: '2026-07-20' })
    await createApiClient(admin, { name: 'Race two', expiresOn: '2026-07-25' })
    // On 2026-07-12, "Later" (2026-08-01) is still outside the window; both racers are inside.
    const results = await Promise.all([sendApiClientExpiryReminders(day(41)), sendApiClientExpiryReminders(day(41)), sendApiClientExpiryReminders(day(41))])
    expect(results.reduce((sum, r) => sum + r.secrets, 0)).toBe(2)
    const mails = await reminders()
    expect(mails).toHaveLength(2)
    expect(mails[0].subject).toBe('Acme: the secrets of 2 API clients expire soon')
    expect(mails[0].textBody!.indexOf('Race one')).toBeLessThan(mails[0].textBody!.indexOf('Race two'))
  })

  it('reminds of the newest secret only: a rotation brings its own reminder choice', async () => {
    const db = await getDb()
    await db.delete(mailOutbox)
    const c = await createApiClient(admin, { name: 'Rotated', expiresOn: '2026-09-10' })
    await rotateApiClientSecret(at(admin, day(90)), { clientKey: c.clientKey, expiresOn: '2026-09-12', remind: true, overlapHours: 72 })
    // On 2026-08-31 both secrets are live and inside the window; only the new one is reminded of.
    expect(await sendApiClientExpiryReminders(day(91))).toEqual({ secrets: 1, emails: 2 })
    const rows = await db.select().from(apiClientSecrets).where(and(eq(apiClientSecrets.clientKey, c.clientKey), isNotNull(apiClientSecrets.remindedAt)))
    expect(rows).toHaveLength(1)
    expect(rows[0].retiresAt).toBeNull()
  })

  it('runs as a daily job: scheduled once per day whatever the number of instances, run once', async () => {
    const db = await getDb()
    await db.delete(mailOutbox)
    await createApiClient(admin, { name: 'Through the job', expiresOn: '2026-10-20' })
    const now = day(128) // 2026-10-07
    const later = new Date(now.getTime() + 3_600_000)
    const scheduled = await Promise.all([scheduleExpiryReminderScan(db, now), scheduleExpiryReminderScan(db, later)])
    expect(scheduled.filter(Boolean)).toHaveLength(1)
    // Either instance may have scheduled it (for its own time): by `later` it is due either way.
    const runs = await Promise.all([runDueJobs(later, jobHandlers), runDueJobs(later, jobHandlers)])
    expect(runs.reduce((sum, r) => sum + r.done, 0)).toBe(1)
    expect(await reminders()).toHaveLength(2)
    const [job] = await db.select().from(jobs).where(eq(jobs.dedupeKey, 'api-client-expiry-reminders:2026-10-07'))
    expect(job).toMatchObject({ attempts: 1, lastError: null, doneAt: later })
    expect(await runDueJobs(day(129), jobHandlers)).toEqual({ done: 0, failed: 0 })
  })
})
