import { randomUUID } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { appRoleInstances, appStages, endUserRoleAssignments, groupRoles, roleAssignments, roles } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '@/lib/errors'
import { accessSnapshot, appRow, appScopedMember, createApp as insertApp, createAppRole as insertAppRole, createGroup, grantAppRole } from '@/test/access-factories'
import { auditRows, createMember, createRole, insertUsers, stageKeyOf, userRow, type Member } from '@/test/factories'
import { anonymous, setupOrganization, useTestDatabase } from '@/test/harness'
import { createApp } from './create-app'
import { deleteApp, previewAppDeletion } from './delete-app'
import { getApp } from './get-app'
import { listApps } from './list-apps'
import { previewAppStages, updateApp } from './update-app'

describe('apps (APP-1, UI-6)', () => {
  const database = useTestDatabase()
  let admin: Ctx
  let developer: Member
  let stage: Record<'DEV' | 'QA' | 'PRD', string>

  beforeAll(async () => {
    admin = (await setupOrganization()).admin
    developer = await createMember(admin)
    stage = { DEV: await stageKeyOf('DEV'), QA: await stageKeyOf('QA'), PRD: await stageKeyOf('PRD') }
  })

  const deployedCodes = async (appKey: string) => (await getApp(admin, { appKey })).stages.filter((s) => s.deployed).map((s) => s.code)
  const allStages = () => [stage.DEV, stage.QA, stage.PRD]

  describe('creating', () => {
    it('registers an app in the chosen stages and audits it', async () => {
      const { key } = await createApp(admin, { name: '  Billing ', description: 'Invoices', stageKeys: allStages() })
      expect(await appRow(key)).toMatchObject({ name: 'Billing', description: 'Invoices', version: 1 })
      expect(await deployedCodes(key)).toEqual(['DEV', 'QA', 'PRD'])
      const [event] = await auditRows('app.created', key)
      expect(event).toMatchObject({ targetType: 'app', targetLabel: 'Billing', changes: { after: { name: 'Billing', description: 'Invoices', stages: ['DEV', 'QA', 'PRD'] } } })
    })

    it('lets a Developer create apps, and accepts a single stage', async () => {
      const { key } = await createApp(developer.ctx(), { name: 'Dev tool', stageKeys: stage.DEV })
      expect(await deployedCodes(key)).toEqual(['DEV'])
      expect((await auditRows('app.created', key))[0].actorKey).toBe(developer.userKey)
    })

    it('refuses a name another app has, ignoring case, with a field error', async () => {
      await createApp(admin, { name: 'Payroll', stageKeys: allStages() })
      const before = await accessSnapshot()
      const error = await createApp(admin, { name: 'PAYROLL', stageKeys: allStages() }).catch((e) => e)
      expect(error).toBeInstanceOf(ConflictError)
      expect(error.fieldErrors.name[0]).toMatch(/Payroll/)
      expect(await accessSnapshot()).toEqual(before)
    })

    it('refuses bad input with field errors and changes nothing', async () => {
      const before = await accessSnapshot()
      const cases: Array<[unknown, string]> = [
        [{ name: '', stageKeys: allStages() }, 'name'],
        [{ name: 'x'.repeat(101), stageKeys: allStages() }, 'name'],
        [{ name: 'No stages', stageKeys: [] }, 'stageKeys'],
        [{ name: 'Bad stage', stageKeys: ['DEV'] }, 'stageKeys'],
        [{ name: 'Gone stage', stageKeys: [randomUUID()] }, 'stageKeys'],
        [{ name: 'Long text', description: 'y'.repeat(1001), stageKeys: allStages() }, 'description'],
        [{ name: 'Extra', stageKeys: allStages(), version: 3 }, 'form'],
      ]
      for (const [input, field] of cases) {
        const error = await createApp(admin, input).catch((e) => e)
        expect(error, JSON.stringify(input)).toBeInstanceOf(ValidationError)
        expect(Object.keys(error.fieldErrors)).toContain(field)
      }
      expect(await accessSnapshot()).toEqual(before)
    })

    it('refuses members without asset.create at organization scope, and signed-out callers', async () => {
      const target = await insertApp('Scoped target')
      const scoped = await appScopedMember(admin, target.key, ['asset.create', 'asset.change'])
      const before = await accessSnapshot()
      await expect(createApp(scoped.ctx(), { name: 'Sneaky', stageKeys: allStages() })).rejects.toBeInstanceOf(ForbiddenError)
      await expect(createApp(anonymous(), { name: 'Sneaky', stageKeys: allStages() })).rejects.toBeInstanceOf(UnauthenticatedError)
      expect(await accessSnapshot()).toEqual(before)
    })
  })

  describe('listing', () => {
    it('pages by name with search, stage codes and role counts', async () => {
      const names = ['Zeta 1', 'zeta 2', 'Zeta 3', 'Zeta 4', 'Zeta 5', 'Zeta 6', 'Zeta 7']
      for (const name of names) await insertApp(name, name === 'Zeta 1' ? ['QA', 'DEV'] : undefined)
      const [zeta1] = (await listApps(admin, { q: 'zeta 1' })).rows
      await insertAppRole(zeta1.key, 'Reader')
      await insertAppRole(zeta1.key, 'Writer')

      const first = await listApps(admin, { q: 'ZETA', perPage: 5 })
      expect(first.rows.map((r) => r.name)).toEqual(names.slice(0, 5))
      expect(first.total).toBe(7)
      expect(first.previous).toBeNull()
      const second = await listApps(admin, { q: 'zeta', perPage: 5, after: first.next! })
      expect(second.rows.map((r) => r.name)).toEqual(names.slice(5))
      expect(second.next).toBeNull()
      const back = await listApps(admin, { q: 'zeta', perPage: 5, before: second.previous! })
      expect(back.rows.map((r) => r.name)).toEqual(names.slice(0, 5))

      const one = (await listApps(admin, { q: 'zeta 1' })).rows[0]
      expect(one).toMatchObject({ stageCodes: ['DEV', 'QA'], roleCount: 2 })
      // LIKE wildcards in the search are literal.
      expect((await listApps(admin, { q: 'zeta_' })).rows).toEqual([])
    })

    it('shows a member with only app-scope asset.open just those apps, and refuses members with neither', async () => {
      const mine = await insertApp('Mine only')
      await insertApp('Not mine')
      const scoped = await appScopedMember(admin, mine.key, ['asset.open'])
      const page = await listApps(scoped.ctx(), {})
      expect(page.rows.map((r) => r.name)).toEqual(['Mine only'])
      expect(page.total).toBe(1)
      expect(page.canCreate).toBe(false)
      expect((await listApps(developer.ctx(), {})).canCreate).toBe(true)

      await createRole('No apps', [{ slug: 'users.view_members' }])
      const outsider = await createMember(admin, { role: 'No apps' })
      await expect(listApps(outsider.ctx(), {})).rejects.toBeInstanceOf(ForbiddenError)
      await expect(listApps(anonymous(), {})).rejects.toBeInstanceOf(UnauthenticatedError)
    })
  })

  describe('opening and editing', () => {
    it('says what each principal may do with an app', async () => {
      const a = await insertApp('Abilities A')
      const b = await insertApp('Abilities B')
      const scoped = await appScopedMember(admin, a.key, ['asset.change'])
      expect((await getApp(admin, { appKey: a.key })).can).toEqual({ change: true, delete: true })
      expect((await getApp(developer.ctx(), { appKey: a.key })).can).toEqual({ change: true, delete: false })
      expect((await getApp(scoped.ctx(), { appKey: a.key })).can).toEqual({ change: true, delete: false })
      await expect(getApp(scoped.ctx(), { appKey: b.key })).rejects.toBeInstanceOf(ForbiddenError)
      await expect(getApp(admin, { appKey: randomUUID() })).rejects.toBeInstanceOf(NotFoundError)
      await expect(getApp(admin, { appKey: 'nope' })).rejects.toBeInstanceOf(ValidationError)
    })

    it('renames and describes with the version it started from, and audits the difference', async () => {
      const { key } = await createApp(admin, { name: 'Old name', description: 'old', stageKeys: allStages() })
      const { version } = await updateApp(developer.ctx(), { appKey: key, version: 1, name: 'New name', description: 'new', stageKeys: allStages() })
      expect(version).toBe(2)
      expect(await appRow(key)).toMatchObject({ name: 'New name', description: 'new', version: 2 })
      const [event] = await auditRows('app.updated', key)
      expect(event.changes).toEqual({ before: { name: 'Old name', description: 'old' }, after: { name: 'New name', description: 'new' } })
      // Saving without a change writes nothing.
      await updateApp(admin, { appKey: key, version: 2, name: 'New name', description: 'new', stageKeys: allStages() })
      expect(await auditRows('app.updated', key)).toHaveLength(1)
    })

    it('refuses a stale version: changed by someone else', async () => {
      const { key } = await createApp(admin, { name: 'Contended', stageKeys: allStages() })
      await updateApp(admin, { appKey: key, version: 1, name: 'First edit', stageKeys: allStages() })
      const before = await accessSnapshot()
      const error = await updateApp(developer.ctx(), { appKey: key, version: 1, name: 'Second edit', stageKeys: [stage.DEV] }).catch((e) => e)
      expect(error).toBeInstanceOf(ConflictError)
      expect(error.message).toMatch(/changed by someone else.*Reload/)
      expect(await appRow(key)).toMatchObject({ name: 'First edit', version: 2 })
      expect(await accessSnapshot()).toEqual(before)
    })

    it('lets an app-scope editor change that app only, and refuses duplicate names and bad input', async () => {
      const a = await insertApp('Scope A')
      const b = await insertApp('Scope B')
      const scoped = await appScopedMember(admin, a.key, ['asset.change'])
      await updateApp(scoped.ctx(), { appKey: a.key, version: 1, name: 'Scope A2', stageKeys: allStages() })
      expect((await appRow(a.key)).name).toBe('Scope A2')
      const before = await accessSnapshot()
      await expect(updateApp(scoped.ctx(), { appKey: b.key, version: 1, name: 'Taken over', stageKeys: allStages() })).rejects.toBeInstanceOf(ForbiddenError)
      await expect(updateApp(admin, { appKey: b.key, version: 1, name: 'scope a2', stageKeys: allStages() })).rejects.toMatchObject({ fieldErrors: { name: expect.any(Array) } })
      await expect(updateApp(admin, { appKey: b.key, version: 1, name: '', stageKeys: [] })).rejects.toMatchObject({ fieldErrors: { name: expect.any(Array), stageKeys: expect.any(Array) } })
      await expect(updateApp(admin, { appKey: b.key, name: 'No version', stageKeys: allStages() })).rejects.toBeInstanceOf(ValidationError)
      await expect(updateApp(anonymous(), { appKey: b.key, version: 1, name: 'Anon', stageKeys: allStages() })).rejects.toBeInstanceOf(UnauthenticatedError)
      await expect(updateApp(admin, { appKey: randomUUID(), version: 1, name: 'Ghost', stageKeys: allStages() })).rejects.toBeInstanceOf(NotFoundError)
      expect(await accessSnapshot()).toEqual(before)
    })
  })

  describe('deployed stages', () => {
    it('previews and applies an undeployment: instances, assignments and group grants in that stage go', async () => {
      const app = await insertApp('Undeploy me')
      const reader = await insertAppRole(app.key, 'Reader')
      const writer = await insertAppRole(app.key, 'Writer')
      const [u1, u2, u3, u4] = await insertUsers([{ name: 'U1' }, { name: 'U2' }, { name: 'U3' }, { name: 'U4' }])
      await grantAppRole(u1, [reader.instances.get('QA')!])
      await grantAppRole(u2, [reader.instances.get('QA')!, writer.instances.get('QA')!])
      await grantAppRole(u4, [reader.instances.get('QA')!, reader.instances.get('PRD')!])
      const group = await createGroup('QA testers', 'QA', { instanceKeys: [writer.instances.get('QA')!], userKeys: [u3, u1] })
      for (const u of [u1, u2, u3, u4]) expect((await userRow(u)).isEndUser).toBe(true)

      const keep = [stage.DEV, stage.PRD]
      const preview = await previewAppStages(admin, { appKey: app.key, stageKeys: keep })
      expect(preview.removed.map((s) => s.code)).toEqual(['QA'])
      expect(preview.added).toEqual([])
      expect(preview.impact).toEqual({ users: 4, groups: 1, stages: [{ stageKey: stage.QA, stageCode: 'QA', stageName: 'QA', users: 4, groups: 1 }] })
      // A preview changes nothing.
      expect(await deployedCodes(app.key)).toEqual(['DEV', 'QA', 'PRD'])

      await updateApp(admin, { appKey: app.key, version: 1, name: 'Undeploy me', stageKeys: keep })
      expect(await deployedCodes(app.key)).toEqual(['DEV', 'PRD'])
      const db = database.current().db
      expect(await db.select().from(appRoleInstances).where(and(eq(appRoleInstances.appKey, app.key), eq(appRoleInstances.stageKey, stage.QA)))).toEqual([])
      expect(await db.select().from(groupRoles).where(eq(groupRoles.groupKey, group))).toEqual([])
      expect((await db.select().from(endUserRoleAssignments).where(eq(endUserRoleAssignments.userKey, u4))).map((a) => a.instanceKey)).toEqual([reader.instances.get('PRD')])
      expect((await userRow(u1)).isEndUser).toBe(false)
      expect((await userRow(u2)).isEndUser).toBe(false)
      expect((await userRow(u3)).isEndUser).toBe(false)
      expect((await userRow(u4)).isEndUser).toBe(true)
      const [event] = await auditRows('app.updated', app.key)
      expect(event.changes).toMatchObject({
        before: { stages: ['DEV', 'QA', 'PRD'] },
        after: { stages: ['DEV', 'PRD'] },
        impact: { stagesRemoved: ['QA'], usersLosingRoles: 4, groupsLosingRoles: 1, byStage: [{ stage: 'QA', users: 4, groups: 1 }] },
      })
    })

    it('deploying to a new stage creates an instance of every role there', async () => {
      const { key } = await createApp(admin, { name: 'Grows', stageKeys: [stage.DEV] })
      await insertAppRole(key, 'One')
      await insertAppRole(key, 'Two')
      const preview = await previewAppStages(admin, { appKey: key, stageKeys: [stage.DEV, stage.PRD] })
      expect(preview).toMatchObject({ added: [{ code: 'PRD' }], removed: [], instancesToCreate: 2 })
      await updateApp(admin, { appKey: key, version: 1, name: 'Grows', stageKeys: [stage.DEV, stage.PRD] })
      const detail = await getApp(admin, { appKey: key })
      expect(detail.roles.map((r) => r.instances.map((i) => i.stageCode))).toEqual([['DEV', 'PRD'], ['DEV', 'PRD']])
      const keys = detail.roles.flatMap((r) => r.instances.map((i) => i.key))
      expect(new Set(keys).size).toBe(4)
      const [event] = await auditRows('app.updated', key)
      expect(event.changes).toMatchObject({ before: { stages: ['DEV'] }, after: { stages: ['DEV', 'PRD'] }, impact: { stagesAdded: ['PRD'], instancesCreated: 2 } })
      const db = database.current().db
      expect(await db.select().from(appStages).where(eq(appStages.appKey, key))).toHaveLength(2)
    })
  })

  describe('deleting', () => {
    it('is refused to a Developer (no asset.delete) and to signed-out callers', async () => {
      const app = await insertApp('Keep me')
      const before = await accessSnapshot()
      await expect(deleteApp(developer.ctx(), { appKey: app.key })).rejects.toBeInstanceOf(ForbiddenError)
      await expect(previewAppDeletion(developer.ctx(), { appKey: app.key })).rejects.toBeInstanceOf(ForbiddenError)
      await expect(deleteApp(anonymous(), { appKey: app.key })).rejects.toBeInstanceOf(UnauthenticatedError)
      await expect(deleteApp(admin, { appKey: 'Keep me' })).rejects.toBeInstanceOf(ValidationError)
      await expect(deleteApp(admin, { appKey: app.key, version: 7 })).rejects.toBeInstanceOf(ConflictError)
      await expect(deleteApp(admin, { appKey: randomUUID() })).rejects.toBeInstanceOf(NotFoundError)
      expect(await accessSnapshot()).toEqual(before)
    })

    it('previews, then deletes the app with its roles, grants and app-scope member roles, refreshing both flags', async () => {
      const app = await insertApp('Doomed')
      const other = await insertApp('Survivor')
      const role = await insertAppRole(app.key, 'Doomed role')
      const otherRole = await insertAppRole(other.key, 'Other role')
      const [e1, e2, e3] = await insertUsers([{ name: 'E1' }, { name: 'E2' }, { name: 'E3' }])
      await grantAppRole(e1, [role.instances.get('DEV')!, role.instances.get('PRD')!])
      await grantAppRole(e3, [role.instances.get('DEV')!, otherRole.instances.get('DEV')!])
      await createGroup('Doomed PRD', 'PRD', { instanceKeys: [role.instances.get('PRD')!], userKeys: [e2] })
      // A member whose only organization role is for this app, and one who also has another.
      const [m1, m2] = await insertUsers([{ name: 'M1', isMember: true }, { name: 'M2', isMember: true }])
      const [devRole] = await database.current().db.select({ key: roles.key }).from(roles).where(eq(roles.name, 'Developer'))
      await database.current().db.insert(roleAssignments).values([
        { userKey: m1, roleKey: devRole.key, appKey: app.key },
        { userKey: m2, roleKey: devRole.key, appKey: app.key },
        { userKey: m2, roleKey: devRole.key, appKey: other.key },
      ])
      // An admin (asset.delete) deletes; so may a member holding asset.delete for this app only.
      const scopedDeleter = await appScopedMember(admin, app.key, ['asset.delete'])

      const preview = await previewAppDeletion(scopedDeleter.ctx(), { appKey: app.key })
      expect(preview).toEqual({
        roles: 1,
        members: 3,
        impact: {
          users: 3,
          groups: 1,
          stages: [
            { stageKey: stage.DEV, stageCode: 'DEV', stageName: 'Development', users: 2, groups: 0 },
            { stageKey: stage.PRD, stageCode: 'PRD', stageName: 'Production', users: 2, groups: 1 },
          ],
        },
      })
      await deleteApp(scopedDeleter.ctx(), { appKey: app.key, version: 1 })

      expect(await appRow(app.key)).toBeUndefined()
      const db = database.current().db
      expect(await db.select().from(appRoleInstances).where(eq(appRoleInstances.appKey, app.key))).toEqual([])
      expect(await db.select().from(roleAssignments).where(eq(roleAssignments.appKey, app.key))).toEqual([])
      expect((await userRow(e1)).isEndUser).toBe(false)
      expect((await userRow(e2)).isEndUser).toBe(false)
      expect((await userRow(e3)).isEndUser).toBe(true)
      expect((await userRow(m1)).isMember).toBe(false)
      expect((await userRow(m2)).isMember).toBe(true)
      expect((await userRow(scopedDeleter.userKey)).isMember).toBe(true)
      const [event] = await auditRows('app.deleted', app.key)
      expect(event).toMatchObject({
        actorKey: scopedDeleter.userKey,
        targetLabel: 'Doomed',
        changes: { before: { name: 'Doomed' }, counts: { roles: 1, usersLosingRoles: 3, groupsLosingRoles: 1, membersLosingAppRoles: 3 } },
      })
    })
  })
})
