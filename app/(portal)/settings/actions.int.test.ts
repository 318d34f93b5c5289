import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { getDb } from '@/db/client'
import { auditEvents, emailSettings, organizations, registrationGroups, sessions, stages } from '@/db/schema'
import { openStageSession } from '@/lib/auth/stage-sessions'
import type { Ctx } from '@/lib/context'
import { createGroup } from '@/test/access-factories'
import { createMember, insertUsers, rowCounts, stageKeyOf, type Member } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { current, form, redirected } from '@/test/next-stubs'

// Server actions are public POST endpoints: whatever a client sends, the answer is a form result
// or a redirect, never a thrown error, and a refusal changes nothing.
vi.mock('@/lib/request', () => import('@/test/next-stubs').then((m) => m.request))
vi.mock('next/cache', () => import('@/test/next-stubs').then((m) => m.cache))
vi.mock('next/navigation', () => import('@/test/next-stubs').then((m) => m.navigation))

const actions = await import('./actions')

const snapshot = () => rowCounts({ organizations, stages, registrationGroups, emailSettings, audit: auditEvents })

async function openDevSessions(n: number) {
  const db = await getDb()
  const [stage] = await db.select().from(stages).where(eq(stages.code, 'DEV'))
  const userKeys = await insertUsers(Array.from({ length: n }, (_, i) => ({ name: `Signed in ${i}` })))
  await db.transaction(async (tx) => {
    for (const userKey of userKeys) await openStageSession(tx, userKey, stage, new Date(), {})
  })
}

async function liveDevSessions() {
  const db = await getDb()
  const dev = await stageKeyOf('DEV')
  return (await db.select().from(sessions).where(eq(sessions.stageKey, dev))).filter((s) => !s.revokedAt).length
}

describe('settings server actions', () => {
  useTestDatabase()
  let admin: Ctx
  let developer: Member
  let dev: string

  beforeAll(async () => {
    delete process.env.SMTP_URL
    ;({ admin } = await setupOrganization())
    developer = await createMember(admin)
    dev = await stageKeyOf('DEV')
    current.ctx = admin
  })

  it('asks before ending live sessions, and saves when confirmed', async () => {
    await openDevSessions(2)
    const fields = { stageKey: dev, returnStage: 'DEV', maxValue: '8', maxUnit: 'hours', idleValue: '30', idleUnit: 'minutes' }
    const before = await snapshot()
    const asked = await actions.updateStageSessionsAction(null, form(fields))
    expect(asked).toMatchObject({ ok: false, fieldErrors: { confirm: ['2 live sessions in DEV will end: everyone signed in to DEV’s apps has to sign in again.'] } })
    expect(await snapshot()).toEqual(before)
    expect(await liveDevSessions()).toBe(2)

    expect(await redirected(actions.updateStageSessionsAction(null, form({ ...fields, confirmed: 'yes' })))).toBe('/settings/stages?stage=DEV&notice=sessions-saved')
    expect(await liveDevSessions()).toBe(0)
    // Nothing live: no question; the same values again: nothing to save.
    expect(await redirected(actions.updateStageSessionsAction(null, form({ ...fields, maxValue: '9' })))).toBe('/settings/stages?stage=DEV&notice=sessions-saved')
    expect(await redirected(actions.updateStageSessionsAction(null, form({ ...fields, maxValue: '9' })))).toBe('/settings/stages?stage=DEV&notice=unchanged')
  })

  it('reports invalid session settings next to the fields before asking anything', async () => {
    await openDevSessions(1)
    const result = await actions.updateStageSessionsAction(null, form({ stageKey: dev, maxValue: '1', maxUnit: 'hours', idleValue: '2', idleUnit: 'hours' }))
    expect(result).toMatchObject({ ok: false, fieldErrors: { idleValue: ['Idle time cannot be longer than the maximum session.'] } })
  })

  it('saves self-registration from the form’s checkboxes and text box', async () => {
    const a = await createGroup('Form group A', 'DEV')
    const b = await createGroup('Form group B', 'DEV')
    const url = await redirected(actions.updateSelfRegistrationAction(null, form({ stageKey: dev, returnStage: 'DEV', enabled: 'on', allowedDomains: 'one.example.com\ntwo.example.com', groupKeys: [a, b] })))
    expect(url).toBe('/settings/stages?stage=DEV&notice=self-registration-saved')
    const db = await getDb()
    expect((await db.select().from(registrationGroups).where(eq(registrationGroups.stageKey, dev))).map((r) => r.groupKey).sort()).toEqual([a, b].sort())
    const bad = await actions.updateSelfRegistrationAction(null, form({ stageKey: dev, allowedDomains: 'not a domain' }))
    expect(bad).toMatchObject({ ok: false, fieldErrors: { allowedDomains: expect.any(Array) } })
  })

  it('saves the internal domains from the list editor’s repeated fields', async () => {
    expect(await redirected(actions.updateInternalDomainsAction(null, form({ domains: ['acme.test', 'partner.test'] })))).toBe('/settings/internal-domains?notice=domains-saved')
    expect(await redirected(actions.updateInternalDomainsAction(null, form({ domains: ['acme.test', 'partner.test'] })))).toBe('/settings/internal-domains?notice=unchanged')
    expect(await redirected(actions.updateInternalDomainsAction(null, form({})))).toBe('/settings/internal-domains?notice=domains-saved')
  })

  it('says where the test email went when no server is configured, and that there is nothing to remove', async () => {
    expect(await actions.sendTestEmailAction(null, form({ to: 'someone@example.test' }))).toEqual({
      ok: false,
      error: 'No SMTP server is configured, so the test email went to the development mailbox instead.',
    })
    expect(await actions.removeEmailSettingsAction(null, form({}))).toMatchObject({ ok: false, error: expect.stringMatching(/was not found/) })
    const port = await actions.saveEmailSettingsAction(null, form({ host: 'smtp.example.com', port: '25', security: 'starttls', username: '', password: '', fromName: '', fromAddress: 'a@example.com' }))
    expect(port).toMatchObject({ ok: false, fieldErrors: { port: [expect.stringMatching(/^Port 25 is not allowed/)] } })
  })

  it('answers a Developer with a refusal for every action, changing nothing', async () => {
    current.ctx = developer.ctx()
    const before = await snapshot()
    const results = await Promise.all([
      actions.updateOrganizationNameAction(null, form({ name: 'Mine' })),
      actions.updatePasswordPolicyAction(null, form({ mode: 'asvs' })),
      actions.renameStageAction(null, form({ stageKey: dev, name: 'Mine' })),
      actions.updateStageSessionsAction(null, form({ stageKey: dev, maxValue: '2', maxUnit: 'hours', idleValue: '1', idleUnit: 'hours', confirmed: 'yes' })),
      actions.updateSelfRegistrationAction(null, form({ stageKey: dev, enabled: 'on' })),
      actions.updateInternalDomainsAction(null, form({ domains: 'evil.test' })),
      actions.saveEmailSettingsAction(null, form({ host: 'smtp.evil.test', port: '587', security: 'starttls', fromAddress: 'x@evil.test' })),
      actions.removeEmailSettingsAction(null, form({})),
      actions.sendTestEmailAction(null, form({ to: 'x@evil.test' })),
    ])
    for (const r of results) expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/permission/) })
    expect(await snapshot()).toEqual(before)
    current.ctx = admin
  })
})
