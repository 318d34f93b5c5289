import { beforeAll, describe, expect, it } from 'vitest'
import { auditEvents, sessions } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { NotFoundError, UnauthenticatedError, ValidationError } from '@/lib/errors'
import { createApp, createAppRole, createGroup, grantAppRole } from '@/test/access-factories'
import { auditRows, createMember, rowCounts, signIn, userRow } from '@/test/factories'
import { ADMIN, anonymous, asUser, setupOrganization, useTestDatabase } from '@/test/harness'
import { getStageAccount, updateOwnProfile } from './account'
import { revokeOtherStageSessions, revokeOwnStageSession, sessionHandle } from './account-sessions'
import { insertUserWithPassword, MINUTE, openStageSessionFor, plus, sessionRow, stageOf } from './account-test-support'

describe('the end-user’s account page on a stage (HOST-1)', () => {
  useTestDatabase()
  let admin: () => Ctx
  let dev: string
  let qa: string

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
    dev = (await stageOf('DEV')).key
    qa = (await stageOf('QA')).key
  })

  const refusal = (p: Promise<unknown>) => p.then(() => expect.unreachable('accepted'), (e: unknown) => e as ValidationError)

  it('shows the profile, the roles held in this stage only, each with its sources, and this stage’s sessions', async () => {
    const lee = await insertUserWithPassword({ name: 'Lee End-User' })
    const orders = await createApp('Orders')
    const approver = await createAppRole(orders.key, 'Approver')
    const viewer = await createAppRole(orders.key, 'Viewer')
    const billing = await createApp('Billing', ['DEV', 'QA'])
    const clerk = await createAppRole(billing.key, 'Clerk')
    const hidden = await createApp('Hidden', ['DEV'])
    await createAppRole(hidden.key, 'Nobody')
    await grantAppRole(lee.userKey, [approver.instances.get('DEV')!, viewer.instances.get('QA')!, clerk.instances.get('QA')!])
    await createGroup('Order desk', 'DEV', { instanceKeys: [approver.instances.get('DEV')!, viewer.instances.get('DEV')!], userKeys: [lee.userKey] })
    await createGroup('QA desk', 'QA', { instanceKeys: [approver.instances.get('QA')!], userKeys: [lee.userKey] })

    const current = await openStageSessionFor(lee, 'DEV')
    const other = await openStageSessionFor(lee, 'DEV', plus(new Date(), -MINUTE))
    await openStageSessionFor(lee, 'QA')
    await signIn(lee.email, lee.password)

    const account = await getStageAccount(current.ctx(), { stageKey: dev })
    expect(account.stage).toEqual({ key: dev, code: 'DEV', name: 'Development' })
    expect(account.profile).toEqual({ name: 'Lee End-User', email: lee.email, photoUrl: null, status: 'Active', isEmailVerified: true })
    expect(account).toMatchObject({ isMember: false, hasPassword: true, passwordPolicy: 'odc' })
    expect(account.apps).toEqual([
      {
        appKey: orders.key,
        appName: 'Orders',
        roles: [
          { roleName: 'Approver', sources: ['assigned directly', 'through group “Order desk”'] },
          { roleName: 'Viewer', sources: ['through group “Order desk”'] },
        ],
      },
    ])
    expect(account.sessions.map((s) => ({ id: s.id, current: s.current }))).toEqual([
      { id: sessionHandle(current.idHash), current: true },
      { id: sessionHandle(other.idHash), current: false },
    ])
    // The page never sees a token or a stored hash.
    expect(JSON.stringify(account)).not.toContain(current.idHash)
    expect(JSON.stringify(account)).not.toContain(current.token)

    const inQa = await getStageAccount((await openStageSessionFor(lee, 'QA')).ctx(), { stageKey: qa })
    expect(inQa.apps.map((a) => [a.appName, a.roles.map((r) => `${r.roleName}: ${r.sources.join(', ')}`)])).toEqual([
      ['Billing', ['Clerk: assigned directly']],
      ['Orders', ['Approver: through group “QA desk”', 'Viewer: assigned directly']],
    ])
    expect(inQa.sessions).toHaveLength(2)
  })

  it('shows an empty list of apps to an end-user with no roles in the stage', async () => {
    const nobody = await insertUserWithPassword()
    const session = await openStageSessionFor(nobody, 'PRD')
    expect((await getStageAccount(session.ctx(), { stageKey: (await stageOf('PRD')).key })).apps).toEqual([])
  })

  it('needs a live session on this very stage', async () => {
    const user = await insertUserWithPassword()
    const onQa = await openStageSessionFor(user, 'QA')
    const portal = await signIn(user.email, user.password)
    for (const ctx of [anonymous(), asUser(user.userKey), portal.ctx(), onQa.ctx()]) {
      await expect(getStageAccount(ctx, { stageKey: dev })).rejects.toBeInstanceOf(UnauthenticatedError)
    }
    const onDev = await openStageSessionFor(user, 'DEV')
    await getStageAccount(onDev.ctx(), { stageKey: dev })
    // Idle or revoked: over.
    await expect(getStageAccount(onDev.ctx(plus(new Date(), 13 * 60 * MINUTE)), { stageKey: dev })).rejects.toBeInstanceOf(UnauthenticatedError)
    await revokeOwnStageSession(onDev.ctx(), { stageKey: dev, sessionId: sessionHandle(onDev.idHash) })
    await expect(getStageAccount(onDev.ctx(), { stageKey: dev })).rejects.toBeInstanceOf(UnauthenticatedError)
  })

  describe('profile', () => {
    it('updates the name (trimmed) and the photo address, audited with before and after', async () => {
      const user = await insertUserWithPassword({ name: 'Old Name' })
      const { ctx } = await openStageSessionFor(user, 'DEV')
      const saved = await updateOwnProfile(ctx(), { name: '  New Name  ', photoUrl: ' https://img.example.test/me.png ', stageKey: dev })
      expect(saved).toMatchObject({ name: 'New Name', photoUrl: 'https://img.example.test/me.png', email: user.email })
      expect(await userRow(user.userKey)).toMatchObject({ name: 'New Name', photoUrl: 'https://img.example.test/me.png', email: user.email })
      const [event] = await auditRows('user.profile_updated', user.userKey)
      expect(event).toMatchObject({ actorKey: user.userKey, changes: { before: { name: 'Old Name', photoUrl: null }, after: { name: 'New Name', photoUrl: 'https://img.example.test/me.png' } } })

      await updateOwnProfile(ctx(), { name: 'New Name', photoUrl: '', stageKey: dev })
      expect((await userRow(user.userKey)).photoUrl).toBeNull()
      expect((await auditRows('user.profile_updated', user.userKey))[1].changes).toEqual({ before: { photoUrl: 'https://img.example.test/me.png' }, after: { photoUrl: null } })
      // Saving without a change writes nothing.
      await updateOwnProfile(ctx(), { name: 'New Name', photoUrl: '', stageKey: dev })
      expect(await auditRows('user.profile_updated', user.userKey)).toHaveLength(2)
    })

    it('refuses a bad name or photo address next to the field, and changes nothing', async () => {
      const user = await insertUserWithPassword({ name: 'Kept Name' })
      const { ctx } = await openStageSessionFor(user, 'DEV')
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ name: '   ', photoUrl: '' }, 'name'],
        [{ name: 'x'.repeat(201), photoUrl: '' }, 'name'],
        [{ photoUrl: '' }, 'name'],
        [{ name: 'Ok', photoUrl: 'javascript:alert(1)' }, 'photoUrl'],
        [{ name: 'Ok', photoUrl: '/relative.png' }, 'photoUrl'],
        [{ name: 'Ok', photoUrl: 'ftp://files.example.test/me.png' }, 'photoUrl'],
        [{ name: 'Ok', photoUrl: 'https://user:secret@example.test/me.png' }, 'photoUrl'],
        [{ name: 'Ok', photoUrl: `https://example.test/${'x'.repeat(2000)}` }, 'photoUrl'],
        [{ name: 'Ok', photoUrl: '', email: 'other@example.test' }, 'form'],
      ]
      const before = await rowCounts({ audit: auditEvents })
      for (const [input, field] of cases) {
        const error = await refusal(updateOwnProfile(ctx(), { ...input, stageKey: dev }))
        expect(error.fieldErrors[field], JSON.stringify(input)).toHaveLength(1)
      }
      expect(await updateOwnProfile(ctx(), { name: 'x'.repeat(200), photoUrl: 'http://example.test/a.png', stageKey: dev })).toMatchObject({ name: 'x'.repeat(200) })
      expect((await rowCounts({ audit: auditEvents })).audit).toBe(before.audit + 1)
      await expect(updateOwnProfile(anonymous(), { name: 'Ok', photoUrl: '', stageKey: dev })).rejects.toBeInstanceOf(UnauthenticatedError)
      expect((await userRow(user.userKey)).email).toBe(user.email)
    })
  })

  describe('sessions', () => {
    it('signs out one of one’s own sessions in this stage, and says when it was the current one', async () => {
      const user = await insertUserWithPassword()
      const current = await openStageSessionFor(user, 'DEV')
      const other = await openStageSessionFor(user, 'DEV')
      expect(await revokeOwnStageSession(current.ctx(), { stageKey: dev, sessionId: sessionHandle(other.idHash) })).toEqual({ current: false })
      expect((await sessionRow(other.idHash)).revokedAt).toBeInstanceOf(Date)
      expect((await sessionRow(current.idHash)).revokedAt).toBeNull()
      const [event] = await auditRows('session.revoked', user.userKey)
      expect(event.changes).toMatchObject({ own: true, current: false, stage: 'DEV' })
      expect(await revokeOwnStageSession(current.ctx(), { stageKey: dev, sessionId: sessionHandle(current.idHash) })).toEqual({ current: true })
      expect((await sessionRow(current.idHash)).revokedAt).toBeInstanceOf(Date)
    })

    it('cannot sign out another user’s session, one of one’s own in another stage, or one by its stored hash', async () => {
      const me = await insertUserWithPassword()
      const someoneElse = await insertUserWithPassword()
      const mine = await openStageSessionFor(me, 'DEV')
      const mineOnQa = await openStageSessionFor(me, 'QA')
      const theirs = await openStageSessionFor(someoneElse, 'DEV')
      const before = await rowCounts({ audit: auditEvents, sessions })
      for (const sessionId of [sessionHandle(theirs.idHash), sessionHandle(mineOnQa.idHash)]) {
        await expect(revokeOwnStageSession(mine.ctx(), { stageKey: dev, sessionId })).rejects.toBeInstanceOf(NotFoundError)
      }
      await expect(revokeOwnStageSession(mine.ctx(), { stageKey: dev, sessionId: theirs.idHash })).rejects.toBeInstanceOf(ValidationError)
      // Acting from another stage's session on this stage is not signed in here.
      await expect(revokeOwnStageSession(mineOnQa.ctx(), { stageKey: dev, sessionId: sessionHandle(mine.idHash) })).rejects.toBeInstanceOf(UnauthenticatedError)
      expect(await rowCounts({ audit: auditEvents, sessions })).toEqual(before)
      expect((await sessionRow(theirs.idHash)).revokedAt).toBeNull()
      expect((await sessionRow(mineOnQa.idHash)).revokedAt).toBeNull()
    })

    it('signs out every other session in this stage, and nothing elsewhere', async () => {
      const member = await createMember(admin())
      const current = await openStageSessionFor(member, 'DEV')
      const otherHere = await openStageSessionFor(member, 'DEV')
      const onQa = await openStageSessionFor(member, 'QA')
      const portal = await signIn(member.email, member.password)
      expect(await revokeOtherStageSessions(current.ctx(), { stageKey: dev })).toEqual({ sessionsEnded: 1 })
      expect((await sessionRow(otherHere.idHash)).revokedAt).toBeInstanceOf(Date)
      const portalIdHash = (portal.ctx().actor as { sessionIdHash: string }).sessionIdHash
      for (const kept of [current.idHash, onQa.idHash, portalIdHash]) {
        expect((await sessionRow(kept)).revokedAt).toBeNull()
      }
      expect((await auditRows('session.revoked_others', member.userKey))[0].changes).toMatchObject({ stage: 'DEV', sessionsEnded: 1 })
    })
  })
})
