import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { appRoleInstances, appRoles, groupRoles } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '@/lib/errors'
import { accessSnapshot, appScopedMember, createApp as insertApp, createAppRole as insertAppRole, createGroup, grantAppRole } from '@/test/access-factories'
import { auditRows, createMember, insertUsers, stageKeyOf, userRow, type Member } from '@/test/factories'
import { anonymous, setupOrganization, useTestDatabase } from '@/test/harness'
import { createAppRole } from './create-app-role'
import { deleteAppRole, previewAppRoleDeletion } from './delete-app-role'
import { getApp } from './get-app'
import { updateAppRole } from './update-app-role'

describe('application (end-user) roles (APP-2)', () => {
  const database = useTestDatabase()
  let admin: Ctx
  let developer: Member

  beforeAll(async () => {
    admin = (await setupOrganization()).admin
    developer = await createMember(admin)
  })

  const roleRow = async (key: string) => (await database.current().db.select().from(appRoles).where(eq(appRoles.key, key)))[0]

  it('creates a role with one instance per deployed stage, sharing the role key as externalKey', async () => {
    const app = await insertApp('Shop', ['DEV', 'PRD'])
    const role = await createAppRole(developer.ctx(), { appKey: app.key, name: 'Buyer', description: 'Can buy', isPublic: 'on', claimName: '' })
    expect(await roleRow(role.key)).toMatchObject({ name: 'Buyer', description: 'Can buy', isPublic: true, claimName: 'Buyer', version: 1 })
    expect(role.instances.map((i) => i.stageKey).sort()).toEqual([await stageKeyOf('DEV'), await stageKeyOf('PRD')].sort())
    const detail = await getApp(admin, { appKey: app.key })
    expect(detail.roles).toEqual([expect.objectContaining({ key: role.key, name: 'Buyer', instances: [expect.objectContaining({ stageCode: 'DEV' }), expect.objectContaining({ stageCode: 'PRD' })] })])
    const [event] = await auditRows('app_role.created', role.key)
    expect(event).toMatchObject({
      targetType: 'app_role',
      targetLabel: 'Shop · Buyer',
      changes: { after: { app: 'Shop', name: 'Buyer', description: 'Can buy', isPublic: true, claimName: 'Buyer' }, stages: ['DEV', 'PRD'] },
    })
  })

  it('derives a claim name from a name with spaces, and keeps an explicit one', async () => {
    const app = await insertApp('Claims')
    const derived = await createAppRole(admin, { appKey: app.key, name: 'Sales Manager (EU)' })
    expect((await roleRow(derived.key)).claimName).toBe('Sales_Manager_EU')
    const explicit = await createAppRole(admin, { appKey: app.key, name: 'Auditor', claimName: 'app.auditor-1' })
    expect(await roleRow(explicit.key)).toMatchObject({ claimName: 'app.auditor-1', isPublic: false })
  })

  it('refuses duplicate names in the same app (ignoring case) but allows them in another', async () => {
    const a = await insertApp('Dup A')
    const b = await insertApp('Dup B')
    await createAppRole(admin, { appKey: a.key, name: 'Viewer' })
    const before = await accessSnapshot()
    const error = await createAppRole(admin, { appKey: a.key, name: 'VIEWER' }).catch((e) => e)
    expect(error).toBeInstanceOf(ConflictError)
    expect(error.fieldErrors.name).toHaveLength(1)
    expect(await accessSnapshot()).toEqual(before)
    await createAppRole(admin, { appKey: b.key, name: 'viewer' })
  })

  it('refuses bad input with field errors and changes nothing', async () => {
    const app = await insertApp('Validation')
    const before = await accessSnapshot()
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: '' }, 'name'],
      [{ name: 'Ok', claimName: 'has space' }, 'claimName'],
      [{ name: 'Ok', claimName: 'ünï' }, 'claimName'],
      [{ name: '—' }, 'claimName'],
      [{ name: 'Ok', description: 'd'.repeat(1001) }, 'description'],
      [{ name: 'Ok', isPublic: 'maybe' }, 'isPublic'],
      [{ name: 'Ok', externalKey: randomUUID() }, 'form'],
    ]
    for (const [fields, field] of cases) {
      const error = await createAppRole(admin, { appKey: app.key, ...fields }).catch((e) => e)
      expect(error, JSON.stringify(fields)).toBeInstanceOf(ValidationError)
      expect(Object.keys(error.fieldErrors)).toContain(field)
    }
    await expect(createAppRole(admin, { appKey: randomUUID(), name: 'Orphan' })).rejects.toBeInstanceOf(NotFoundError)
    expect(await accessSnapshot()).toEqual(before)
  })

  it('needs asset.change on that app: an app-scope editor manages A but not B', async () => {
    const a = await insertApp('Roles A')
    const b = await insertApp('Roles B')
    const roleB = await insertAppRole(b.key, 'Existing')
    const scoped = await appScopedMember(admin, a.key, ['asset.change'])
    const viewer = await appScopedMember(admin, b.key, ['asset.open'])
    const created = await createAppRole(scoped.ctx(), { appKey: a.key, name: 'Mine' })
    await updateAppRole(scoped.ctx(), { roleKey: created.key, version: 1, name: 'Mine renamed' })
    await deleteAppRole(scoped.ctx(), { roleKey: created.key })
    const before = await accessSnapshot()
    await expect(createAppRole(scoped.ctx(), { appKey: b.key, name: 'Theirs' })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(createAppRole(viewer.ctx(), { appKey: b.key, name: 'Theirs' })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(updateAppRole(scoped.ctx(), { roleKey: roleB.key, version: 1, name: 'Hijacked' })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(deleteAppRole(scoped.ctx(), { roleKey: roleB.key })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(previewAppRoleDeletion(scoped.ctx(), { roleKey: roleB.key })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(createAppRole(anonymous(), { appKey: b.key, name: 'Anon' })).rejects.toBeInstanceOf(UnauthenticatedError)
    await expect(deleteAppRole(anonymous(), { roleKey: roleB.key })).rejects.toBeInstanceOf(UnauthenticatedError)
    expect(await accessSnapshot()).toEqual(before)
  })

  it('edits a role with its version, audits the difference, and refuses a stale version', async () => {
    const app = await insertApp('Edits')
    const { key } = await createAppRole(admin, { appKey: app.key, name: 'Clerk', description: 'old' })
    const instancesBefore = await database.current().db.select().from(appRoleInstances).where(eq(appRoleInstances.appRoleKey, key))
    const { version } = await updateAppRole(developer.ctx(), { roleKey: key, version: 1, name: 'Senior clerk', description: 'new', isPublic: 'true', claimName: 'senior' })
    expect(version).toBe(2)
    expect(await roleRow(key)).toMatchObject({ name: 'Senior clerk', description: 'new', isPublic: true, claimName: 'senior', version: 2 })
    // Instances keep their keys.
    expect(await database.current().db.select().from(appRoleInstances).where(eq(appRoleInstances.appRoleKey, key))).toEqual(instancesBefore)
    const [event] = await auditRows('app_role.updated', key)
    expect(event.changes).toEqual({
      before: { name: 'Clerk', description: 'old', isPublic: false, claimName: 'Clerk' },
      after: { name: 'Senior clerk', description: 'new', isPublic: true, claimName: 'senior' },
    })

    const before = await accessSnapshot()
    const stale = await updateAppRole(admin, { roleKey: key, version: 1, name: 'Lost update' }).catch((e) => e)
    expect(stale).toBeInstanceOf(ConflictError)
    expect(stale.message).toMatch(/changed by someone else/)
    await createAppRole(admin, { appKey: app.key, name: 'Other' })
    const after = await accessSnapshot()
    await expect(updateAppRole(admin, { roleKey: key, version: 2, name: 'other' })).rejects.toMatchObject({ fieldErrors: { name: expect.any(Array) } })
    await expect(updateAppRole(admin, { roleKey: randomUUID(), version: 1, name: 'Ghost' })).rejects.toBeInstanceOf(NotFoundError)
    expect((await roleRow(key)).name).toBe('Senior clerk')
    expect(after.audit).toBe(before.audit + 1)
    expect(await accessSnapshot()).toEqual(after)
  })

  it('previews and deletes a role: users and groups lose it in every stage, end-user flags refreshed', async () => {
    const app = await insertApp('Deletions')
    const doomed = await insertAppRole(app.key, 'Doomed')
    const kept = await insertAppRole(app.key, 'Kept')
    const [a, b, c, d] = await insertUsers([{ name: 'A' }, { name: 'B' }, { name: 'C' }, { name: 'D' }])
    await grantAppRole(a, [doomed.instances.get('DEV')!, doomed.instances.get('QA')!])
    await grantAppRole(b, [doomed.instances.get('PRD')!, kept.instances.get('PRD')!])
    const qaGroup = await createGroup('Doomed QA', 'QA', { instanceKeys: [doomed.instances.get('QA')!], userKeys: [c, a] })
    const prdGroup = await createGroup('Mixed PRD', 'PRD', { instanceKeys: [doomed.instances.get('PRD')!, kept.instances.get('PRD')!], userKeys: [d] })

    const impact = await previewAppRoleDeletion(admin, { roleKey: doomed.key })
    expect(impact).toMatchObject({
      users: 4,
      groups: 2,
      stages: [
        { stageCode: 'DEV', users: 1, groups: 0 },
        { stageCode: 'QA', users: 2, groups: 1 },
        { stageCode: 'PRD', users: 2, groups: 1 },
      ],
    })
    await expect(deleteAppRole(admin, { roleKey: doomed.key, version: 5 })).rejects.toBeInstanceOf(ConflictError)
    expect(await deleteAppRole(developer.ctx(), { roleKey: doomed.key, version: 1 })).toEqual(impact)

    expect(await roleRow(doomed.key)).toBeUndefined()
    const db = database.current().db
    expect(await db.select().from(appRoleInstances).where(eq(appRoleInstances.appRoleKey, doomed.key))).toEqual([])
    expect(await db.select().from(groupRoles).where(eq(groupRoles.groupKey, qaGroup))).toEqual([])
    expect((await db.select().from(groupRoles).where(eq(groupRoles.groupKey, prdGroup))).map((g) => g.instanceKey)).toEqual([kept.instances.get('PRD')])
    expect((await userRow(a)).isEndUser).toBe(false)
    expect((await userRow(b)).isEndUser).toBe(true)
    expect((await userRow(c)).isEndUser).toBe(false)
    expect((await userRow(d)).isEndUser).toBe(true)
    const [event] = await auditRows('app_role.deleted', doomed.key)
    expect(event.changes).toMatchObject({
      before: { app: 'Deletions', name: 'Doomed' },
      counts: { usersLosingRole: 4, groupsLosingRole: 2, byStage: [{ stage: 'DEV', users: 1, groups: 0 }, { stage: 'QA', users: 2, groups: 1 }, { stage: 'PRD', users: 2, groups: 1 }] },
    })
  })
})
