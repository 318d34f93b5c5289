import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { auditEvents, registrationGroups, sessions, stages } from '@/db/schema'
import { openStageSession } from '@/lib/auth/stage-sessions'
import type { Ctx } from '@/lib/context'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors'
import { createGroup } from '@/test/access-factories'
import { auditRows, createMember, createRole, insertUsers, rowCounts, stageKeyOf, type Member } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { getSettings } from './get-settings'
import { renameStage } from './rename-stage'
import { updateSelfRegistration } from './update-self-registration'
import { previewStageSessions, updateStageSessions } from './update-stage-sessions'

const snapshot = () => rowCounts({ stages, registrationGroups, audit: auditEvents })

async function stageRow(code: string) {
  const db = await getDb()
  return (await db.select().from(stages).where(eq(stages.code, code)))[0]
}

/** Opens `n` end-user sessions on the stage, as signing in on its hosted pages does. */
async function openSessions(code: string, n: number): Promise<string[]> {
  const db = await getDb()
  const stage = await stageRow(code)
  const userKeys = await insertUsers(Array.from({ length: n }, (_, i) => ({ name: `${code} end-user ${i}`, isEndUser: true })))
  await db.transaction(async (tx) => {
    for (const userKey of userKeys) await openStageSession(tx, userKey, stage, new Date(), { ip: '127.0.0.1' })
  })
  return userKeys
}

async function liveSessionsOf(code: string): Promise<number> {
  const db = await getDb()
  const stage = await stageRow(code)
  const rows = await db.select().from(sessions).where(eq(sessions.stageKey, stage.key))
  return rows.filter((s) => s.revokedAt === null).length
}

describe('stage settings', () => {
  useTestDatabase()
  let admin: Ctx
  let developer: Member
  let stageManager: Member
  let authManager: Member
  let dev: string
  let qa: string

  beforeAll(async () => {
    ;({ admin } = await setupOrganization())
    developer = await createMember(admin)
    await createRole('Stage manager', [{ slug: 'portfolio.manage_stages' }])
    await createRole('Authentication manager', [{ slug: 'users.manage_authentication' }])
    stageManager = await createMember(admin, { role: 'Stage manager' })
    authManager = await createMember(admin, { role: 'Authentication manager' })
    dev = await stageKeyOf('DEV')
    qa = await stageKeyOf('QA')
  })

  describe('renaming', () => {
    it('renames a stage, keeps its code and audits the change', async () => {
      await renameStage(stageManager.ctx(), { stageKey: qa, name: ' Acceptance ' })
      expect(await stageRow('QA')).toMatchObject({ name: 'Acceptance', code: 'QA' })
      const [event] = await auditRows('stage.renamed', qa)
      expect(event).toMatchObject({ actorKey: stageManager.userKey, targetType: 'stage', targetLabel: 'Acceptance (QA)' })
      expect(event.changes).toEqual({ before: { name: 'QA' }, after: { name: 'Acceptance' } })
      // A change of case of its own name is a rename, not a clash.
      await renameStage(admin, { stageKey: qa, name: 'ACCEPTANCE' })
      expect((await stageRow('QA')).name).toBe('ACCEPTANCE')
    })

    it('refuses a name another stage has (ignoring case), a bad name, an unknown stage and other members', async () => {
      const before = await snapshot()
      const clash = await renameStage(admin, { stageKey: qa, name: 'production' }).catch((e) => e)
      expect(clash).toBeInstanceOf(ConflictError)
      expect(clash.fieldErrors.name[0]).toMatch(/PRD is already called “Production”/)
      for (const name of ['', ' ', 'x'.repeat(61)]) await expect(renameStage(admin, { stageKey: qa, name })).rejects.toBeInstanceOf(ValidationError)
      await expect(renameStage(admin, { stageKey: '00000000-0000-4000-8000-000000000000', name: 'Ghost' })).rejects.toBeInstanceOf(NotFoundError)
      await expect(renameStage(developer.ctx(), { stageKey: qa, name: 'Mine' })).rejects.toBeInstanceOf(ForbiddenError)
      await expect(renameStage(authManager.ctx(), { stageKey: qa, name: 'Mine' })).rejects.toBeInstanceOf(ForbiddenError)
      expect(await snapshot()).toEqual(before)
    })
  })

  describe('session settings', () => {
    it('saves whole minutes, hours or days, ends that stage’s sessions only, and audits how many', async () => {
      await openSessions('DEV', 3)
      await openSessions('QA', 2)
      expect(await previewStageSessions(authManager.ctx(), { stageKey: dev, maxValue: '2', maxUnit: 'days', idleValue: '90', idleUnit: 'minutes' })).toEqual({ stageCode: 'DEV', changed: true, liveSessions: 3 })

      const result = await updateStageSessions(authManager.ctx(), { stageKey: dev, maxValue: '2', maxUnit: 'days', idleValue: '90', idleUnit: 'minutes' })
      expect(result).toEqual({ changed: true, sessionsEnded: 3 })
      expect(await stageRow('DEV')).toMatchObject({ sessionMaxMinutes: 2880, sessionIdleMinutes: 90 })
      expect(await liveSessionsOf('DEV')).toBe(0)
      expect(await liveSessionsOf('QA')).toBe(2)
      const [event] = await auditRows('stage.sessions_changed', dev)
      expect(event.changes).toEqual({ before: { sessionMaxMinutes: 720, sessionIdleMinutes: 720 }, after: { sessionMaxMinutes: 2880, sessionIdleMinutes: 90 }, sessionsEnded: 3 })

      // Saving the same limits again ends nothing and records nothing.
      await openSessions('DEV', 1)
      expect(await updateStageSessions(authManager.ctx(), { stageKey: dev, maxValue: 48, maxUnit: 'hours', idleValue: 90, idleUnit: 'minutes' })).toEqual({ changed: false, sessionsEnded: 0 })
      expect(await liveSessionsOf('DEV')).toBe(1)
      expect(await auditRows('stage.sessions_changed', dev)).toHaveLength(1)
    })

    it('accepts the limits exactly: 1 hour to 45 days, idle 5 minutes up to the maximum', async () => {
      await updateStageSessions(admin, { stageKey: qa, maxValue: 1, maxUnit: 'hours', idleValue: 5, idleUnit: 'minutes' })
      expect(await stageRow('QA')).toMatchObject({ sessionMaxMinutes: 60, sessionIdleMinutes: 5 })
      await updateStageSessions(admin, { stageKey: qa, maxValue: 45, maxUnit: 'days', idleValue: 45, idleUnit: 'days' })
      expect(await stageRow('QA')).toMatchObject({ sessionMaxMinutes: 64800, sessionIdleMinutes: 64800 })
    })

    const refused: Array<[string, Record<string, unknown>, string, RegExp]> = [
      ['idle longer than the maximum', { maxValue: 2, maxUnit: 'hours', idleValue: 3, idleUnit: 'hours' }, 'idleValue', /^Idle time cannot be longer than the maximum session\.$/],
      ['a maximum under 1 hour', { maxValue: 59, maxUnit: 'minutes', idleValue: 30, idleUnit: 'minutes' }, 'maxValue', /between 1 hour and 45 days/],
      ['a maximum over 45 days', { maxValue: 46, maxUnit: 'days', idleValue: 1, idleUnit: 'days' }, 'maxValue', /between 1 hour and 45 days/],
      ['idle under 5 minutes', { maxValue: 1, maxUnit: 'hours', idleValue: 4, idleUnit: 'minutes' }, 'idleValue', /between 5 minutes and 45 days/],
      ['a fraction', { maxValue: '1.5', maxUnit: 'hours', idleValue: 30, idleUnit: 'minutes' }, 'maxValue', /whole number/],
      ['no number', { maxValue: '', maxUnit: 'hours', idleValue: 30, idleUnit: 'minutes' }, 'maxValue', /whole number/],
      ['text', { maxValue: 'twelve', maxUnit: 'hours', idleValue: 30, idleUnit: 'minutes' }, 'maxValue', /whole number/],
      ['an unknown unit', { maxValue: 1, maxUnit: 'weeks', idleValue: 30, idleUnit: 'minutes' }, 'maxUnit', /minutes, hours or days/],
    ]
    for (const [label, values, field, message] of refused) {
      it(`refuses ${label} with a message on ${field} and changes nothing`, async () => {
        await openSessions('PRD', 1)
        const before = { row: await stageRow('PRD'), live: await liveSessionsOf('PRD'), counts: await snapshot() }
        const error = await updateStageSessions(admin, { stageKey: await stageKeyOf('PRD'), ...values }).catch((e) => e)
        expect(error).toBeInstanceOf(ValidationError)
        expect(error.fieldErrors[field]?.join(' ')).toMatch(message)
        expect({ row: await stageRow('PRD'), live: await liveSessionsOf('PRD'), counts: await snapshot() }).toEqual(before)
      })
    }

    it('refuses members without Manage authentication, ending no session', async () => {
      await openSessions('DEV', 1)
      const live = await liveSessionsOf('DEV')
      const input = { stageKey: dev, maxValue: 3, maxUnit: 'hours', idleValue: 1, idleUnit: 'hours' }
      await expect(updateStageSessions(developer.ctx(), input)).rejects.toBeInstanceOf(ForbiddenError)
      await expect(updateStageSessions(stageManager.ctx(), input)).rejects.toBeInstanceOf(ForbiddenError)
      await expect(previewStageSessions(stageManager.ctx(), input)).rejects.toBeInstanceOf(ForbiddenError)
      expect(await liveSessionsOf('DEV')).toBe(live)
    })
  })

  describe('self-registration', () => {
    it('turns sign-up on with normalized domains and groups of the stage, replacing the previous groups, audited', async () => {
      const sales = await createGroup('Sales', 'DEV')
      const support = await createGroup('Support', 'DEV')
      await updateSelfRegistration(authManager.ctx(), {
        stageKey: dev,
        enabled: 'on',
        allowedDomains: ' Example.COM\n@partner.example.org, example.com ;beta.example.net.',
        groupKeys: [sales, support, sales],
      })
      expect(await stageRow('DEV')).toMatchObject({ selfRegistrationEnabled: true, selfRegistrationDomains: ['example.com', 'partner.example.org', 'beta.example.net'] })
      const [event] = await auditRows('stage.self_registration_changed', dev)
      expect(event.changes).toMatchObject({
        before: { enabled: false, allowedDomains: [], groups: [] },
        after: { enabled: true, allowedDomains: ['example.com', 'partner.example.org', 'beta.example.net'], groups: ['Sales', 'Support'] },
      })

      await updateSelfRegistration(authManager.ctx(), { stageKey: dev, enabled: true, allowedDomains: ['example.com'], groupKeys: support })
      const view = (await getSettings(authManager.ctx())).stages!.find((s) => s.code === 'DEV')!
      expect(view.selfRegistration).toMatchObject({ enabled: true, allowedDomains: ['example.com'] })
      expect(view.selfRegistration.groups).toEqual([
        { key: sales, name: 'Sales', selected: false },
        { key: support, name: 'Support', selected: true },
      ])
      // Unticked box, no domains, no groups: off, open to any domain, nothing to join.
      await updateSelfRegistration(authManager.ctx(), { stageKey: dev, allowedDomains: '' })
      expect(await stageRow('DEV')).toMatchObject({ selfRegistrationEnabled: false, selfRegistrationDomains: [] })
      const db = await getDb()
      expect(await db.select().from(registrationGroups).where(eq(registrationGroups.stageKey, dev))).toEqual([])
      expect(await auditRows('stage.self_registration_changed', dev)).toHaveLength(3)
    })

    it('refuses groups of another stage, bad or too many domains, and members without Manage authentication; nothing changes', async () => {
      const devGroup = await createGroup('DEV desk', 'DEV')
      const qaGroup = await createGroup('QA desk', 'QA')
      const before = { row: await stageRow('DEV'), counts: await snapshot() }

      const foreign = await updateSelfRegistration(admin, { stageKey: dev, enabled: true, allowedDomains: [], groupKeys: [devGroup, qaGroup] }).catch((e) => e)
      expect(foreign).toBeInstanceOf(ValidationError)
      expect(foreign.fieldErrors.groupKeys).toEqual(['“QA desk” belongs to QA: new end-users of DEV can only join groups of DEV.'])
      const missing = await updateSelfRegistration(admin, { stageKey: dev, enabled: true, groupKeys: ['00000000-0000-4000-8000-000000000000'] }).catch((e) => e)
      expect(missing.fieldErrors.groupKeys[0]).toMatch(/no longer exists/)

      for (const allowedDomains of ['not a domain', 'example', 'exa mple.com', '-bad.example.com', '192.168.0.1', 'user@example.com', 'a_b.example.com']) {
        const error = await updateSelfRegistration(admin, { stageKey: dev, enabled: true, allowedDomains }).catch((e) => e)
        expect(error, allowedDomains).toBeInstanceOf(ValidationError)
        expect(error.fieldErrors.allowedDomains?.[0], allowedDomains).toMatch(/is not a domain name/)
      }
      const tooMany = await updateSelfRegistration(admin, { stageKey: dev, enabled: true, allowedDomains: Array.from({ length: 51 }, (_, i) => `d${i}.example.com`) }).catch((e) => e)
      expect(tooMany.fieldErrors.allowedDomains).toEqual(['Enter at most 50 domains (there are 51).'])
      await expect(updateSelfRegistration(stageManager.ctx(), { stageKey: dev, enabled: true })).rejects.toBeInstanceOf(ForbiddenError)
      await expect(updateSelfRegistration(developer.ctx(), { stageKey: dev, enabled: true })).rejects.toBeInstanceOf(ForbiddenError)
      await expect(updateSelfRegistration(admin, { stageKey: dev, enabled: 'maybe' })).rejects.toBeInstanceOf(ValidationError)
      expect({ row: await stageRow('DEV'), counts: await snapshot() }).toEqual(before)
    })

    it('accepts 50 domains given with duplicates and in mixed case', async () => {
      const list = Array.from({ length: 50 }, (_, i) => `D${i}.Example.com`)
      await updateSelfRegistration(admin, { stageKey: qa, enabled: true, allowedDomains: [...list, ...list.map((d) => d.toLowerCase())] })
      expect((await stageRow('QA')).selfRegistrationDomains).toHaveLength(50)
    })
  })
})
