import { beforeAll, describe, expect, it } from 'vitest'
import type { Ctx } from '@/lib/context'
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '@/lib/errors'
import { auditRows, createMember, createRole as createRoleRow, grantHolders, roleKeyOf, roleRow, stageKeyOf, storedPermissionCount } from '@/test/factories'
import { createApp } from '@/test/access-factories'
import { ADMIN, anonymous, asUser, setupOrganization, useTestDatabase } from '@/test/harness'
import { createRole } from './create-role'
import { duplicateRole } from './duplicate-role'
import { getPermissionRegistry, getRole } from './get-role'
import { listRoles } from './list-roles'
import { STALE_ROLE_MESSAGE, updateRole } from './update-role'

describe('organization roles: list, create, edit, duplicate', () => {
  useTestDatabase()
  let admin: () => Ctx
  let developer: () => Ctx
  let roleManager: () => Ctx
  let auditor: () => Ctx
  let dev: string, qa: string, prd: string

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
    await createRoleRow('Role keeper', [{ slug: 'users.manage_roles' }])
    await createRoleRow('Auditor', [{ slug: 'org.view_audit' }])
    developer = (await createMember(admin(), { role: 'Developer' })).ctx
    roleManager = (await createMember(admin(), { role: 'Role keeper' })).ctx
    auditor = (await createMember(admin(), { role: 'Auditor' })).ctx
    ;[dev, qa, prd] = await Promise.all(['DEV', 'QA', 'PRD'].map(stageKeyOf))
  })

  describe('listing', () => {
    it('shows built-in roles first, then custom roles by name, with permission and holder counts', async () => {
      const app = await createApp('Billing')
      await grantHolders('Auditor', 3)
      await grantHolders('Auditor', 2, { appKey: app.key, prefix: 'app auditor' })
      const { roles, canManage } = await listRoles(admin())
      expect(canManage).toBe(true)
      expect(roles.map((r) => r.name).slice(0, 4)).toEqual(['Administrator', 'Developer', 'Auditor', 'Role keeper'])
      const byName = new Map(roles.map((r) => [r.name, r]))
      expect(byName.get('Administrator')).toMatchObject({ isReadOnly: true, userCount: 1 })
      expect(byName.get('Administrator')!.permissionCount).toBeGreaterThan(40)
      // The auditor member, three organization-scope holders and two app-scope holders.
      expect(byName.get('Auditor')).toMatchObject({ isReadOnly: false, permissionCount: 1, userCount: 6 })
    })

    it('is open to members who see members, and changes only to role managers', async () => {
      expect((await listRoles(developer())).canManage).toBe(false)
      expect((await listRoles(roleManager())).canManage).toBe(true)
      await expect(listRoles(auditor())).rejects.toBeInstanceOf(ForbiddenError)
      await expect(listRoles(anonymous())).rejects.toBeInstanceOf(UnauthenticatedError)
    })
  })

  describe('creating', () => {
    it('stores only the explicitly chosen permissions, with stage limits, and audits it', async () => {
      const { roleKey } = await createRole(admin(), {
        name: 'Release captain',
        description: 'Ships to production.',
        permissions: JSON.stringify([{ slug: 'asset.change' }, { slug: 'release.deploy', stageKeys: [prd, qa] }]),
      })
      const role = await getRole(admin(), { roleKey })
      expect(role).toMatchObject({ name: 'Release captain', description: 'Ships to production.', isReadOnly: false, version: 1, can: { edit: true, delete: true } })
      expect(role.permissions).toEqual([
        { slug: 'asset.change', stageKeys: null },
        { slug: 'release.deploy', stageKeys: [qa, prd] },
      ])
      expect(await storedPermissionCount(roleKey)).toBe(2)
      const [event] = await auditRows('role.created', roleKey)
      expect(event.changes).toMatchObject({ after: { name: 'Release captain', permissions: ['asset.change', 'release.deploy@QA,PRD'] } })
    })

    it('refuses a name another role has, whatever its case', async () => {
      const attempt = createRole(admin(), { name: '  developer ', permissions: [] })
      await expect(attempt).rejects.toBeInstanceOf(ValidationError)
      await expect(createRole(admin(), { name: 'AUDITOR', permissions: [] })).rejects.toMatchObject({ fieldErrors: { name: [expect.stringMatching(/already/)] } })
    })

    it('refuses unknown permissions, stage limits where none are allowed, and unknown stages', async () => {
      await expect(createRole(admin(), { name: 'Bad 1', permissions: [{ slug: 'nope.nothing' }] })).rejects.toMatchObject({ fieldErrors: { permissions: expect.any(Array) } })
      await expect(createRole(admin(), { name: 'Bad 2', permissions: [{ slug: 'asset.open', stageKeys: [dev] }] })).rejects.toBeInstanceOf(ValidationError)
      await expect(createRole(admin(), { name: 'Bad 3', permissions: [{ slug: 'release.deploy', stageKeys: ['00000000-0000-4000-8000-000000000000'] }] })).rejects.toBeInstanceOf(ValidationError)
      await expect(createRole(admin(), { name: '', permissions: [] })).rejects.toMatchObject({ fieldErrors: { name: expect.any(Array) } })
    })

    it('is allowed to a custom role holding users.manage_roles and to nobody without it', async () => {
      await expect(createRole(roleManager(), { name: 'Keeper made', permissions: [] })).resolves.toMatchObject({ roleKey: expect.any(String) })
      await expect(createRole(developer(), { name: 'Dev made', permissions: [] })).rejects.toBeInstanceOf(ForbiddenError)
      await expect(createRole(anonymous(), { name: 'Anon made', permissions: [] })).rejects.toBeInstanceOf(UnauthenticatedError)
      await expect(getPermissionRegistry(developer())).rejects.toBeInstanceOf(ForbiddenError)
      const registry = await getPermissionRegistry(roleManager())
      expect(registry.stages.map((s) => s.code)).toEqual(['DEV', 'QA', 'PRD'])
      const deploy = registry.categories.flatMap((c) => c.permissions).find((p) => p.slug === 'release.deploy')
      expect(deploy).toMatchObject({ scopes: ['Organization', 'App'], allowStages: true })
    })
  })

  describe('editing', () => {
    it('renames and re-permissions a custom role, bumps its version and audits before and after', async () => {
      const { roleKey } = await createRole(admin(), { name: 'Editable', permissions: [{ slug: 'release.deploy', stageKeys: [dev] }] })
      const result = await updateRole(admin(), { roleKey, version: '1', name: 'Edited', description: 'Now with QA.', permissions: JSON.stringify([{ slug: 'release.deploy', stageKeys: [dev, qa] }]) })
      expect(result.version).toBe(2)
      expect(await roleRow(roleKey)).toMatchObject({ name: 'Edited', version: 2 })
      const [event] = await auditRows('role.updated', roleKey)
      expect(event.changes).toMatchObject({
        before: { name: 'Editable', description: '', permissions: ['release.deploy@DEV'] },
        after: { name: 'Edited', description: 'Now with QA.', permissions: ['release.deploy@DEV,QA'] },
      })
    })

    it('refuses to edit a built-in role', async () => {
      const administrator = await getRole(admin(), { roleKey: await roleKeyOf('Administrator') })
      expect(administrator.can).toMatchObject({ edit: false, delete: false, duplicate: true })
      await expect(updateRole(admin(), { roleKey: administrator.key, version: administrator.version, name: 'Administrator', permissions: [] })).rejects.toBeInstanceOf(ForbiddenError)
      const developerRole = await roleKeyOf('Developer')
      await expect(updateRole(admin(), { roleKey: developerRole, version: 1, name: 'Developer', permissions: [] })).rejects.toThrow(/built-in/)
      expect(await storedPermissionCount(developerRole)).toBeGreaterThan(10)
    })

    it('refuses a save made from a stale version', async () => {
      const { roleKey } = await createRole(admin(), { name: 'Contested', permissions: [] })
      await updateRole(admin(), { roleKey, version: 1, name: 'Contested', description: 'first', permissions: [] })
      await expect(updateRole(admin(), { roleKey, version: 1, name: 'Contested', description: 'second', permissions: [] })).rejects.toThrow(STALE_ROLE_MESSAGE)
      expect(await roleRow(roleKey)).toMatchObject({ description: 'first', version: 2 })
    })

    it('lets exactly one of two concurrent saves of the same version through', async () => {
      const { roleKey } = await createRole(admin(), { name: 'Raced', permissions: [] })
      const results = await Promise.allSettled([
        updateRole(admin(), { roleKey, version: 1, name: 'Raced', description: 'by one', permissions: [{ slug: 'asset.open' }] }),
        updateRole(roleManager(), { roleKey, version: 1, name: 'Raced', description: 'by two', permissions: [{ slug: 'mentor.use' }] }),
      ])
      const ok = results.filter((r) => r.status === 'fulfilled')
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      expect(ok).toHaveLength(1)
      expect(failed).toHaveLength(1)
      expect(failed[0].reason).toBeInstanceOf(ConflictError)
      expect(await roleRow(roleKey)).toMatchObject({ version: 2 })
      expect(await storedPermissionCount(roleKey)).toBe(1)
      expect(await auditRows('role.updated', roleKey)).toHaveLength(1)
    })

    it('refuses a rename onto another role, an unknown role, and members without the permission', async () => {
      const { roleKey } = await createRole(admin(), { name: 'Renamed later', permissions: [] })
      await expect(updateRole(admin(), { roleKey, version: 1, name: 'administrator', permissions: [] })).rejects.toMatchObject({ fieldErrors: { name: expect.any(Array) } })
      await expect(updateRole(admin(), { roleKey: '00000000-0000-4000-8000-000000000000', version: 1, name: 'X', permissions: [] })).rejects.toBeInstanceOf(NotFoundError)
      await expect(updateRole(developer(), { roleKey, version: 1, name: 'Dev edit', permissions: [] })).rejects.toBeInstanceOf(ForbiddenError)
      await expect(updateRole(anonymous(), { roleKey, version: 1, name: 'Anon edit', permissions: [] })).rejects.toBeInstanceOf(UnauthenticatedError)
      await expect(updateRole(roleManager(), { roleKey, version: 1, name: 'Keeper edit', permissions: [] })).resolves.toMatchObject({ version: 2 })
    })

    it('changes nothing and keeps the version when nothing changed', async () => {
      const { roleKey } = await createRole(admin(), { name: 'Steady', permissions: [{ slug: 'asset.open' }] })
      await expect(updateRole(admin(), { roleKey, version: 1, name: 'Steady', permissions: [{ slug: 'asset.open' }] })).resolves.toMatchObject({ version: 1 })
      expect(await auditRows('role.updated', roleKey)).toHaveLength(0)
    })
  })

  describe('duplicating', () => {
    it('copies a built-in role into a custom role with a free name, and audits it', async () => {
      const developerKey = await roleKeyOf('Developer')
      const first = await duplicateRole(admin(), { roleKey: developerKey })
      const second = await duplicateRole(roleManager(), { roleKey: developerKey })
      expect([first.name, second.name]).toEqual(['Copy of Developer', 'Copy of Developer (2)'])
      const original = await getRole(admin(), { roleKey: developerKey })
      const copy = await getRole(admin(), { roleKey: first.roleKey })
      expect(copy).toMatchObject({ isReadOnly: false, builtIn: null, description: original.description })
      expect(copy.permissions).toEqual(original.permissions)
      const [event] = await auditRows('role.duplicated', first.roleKey)
      expect(event.changes).toMatchObject({ source: { key: developerKey, name: 'Developer' }, after: { name: 'Copy of Developer', permissions: expect.arrayContaining(['endusers.manage_access@DEV']) } })
      await expect(duplicateRole(developer(), { roleKey: developerKey })).rejects.toBeInstanceOf(ForbiddenError)
    })

    it('duplicates a custom role too', async () => {
      const copy = await duplicateRole(admin(), { roleKey: await roleKeyOf('Auditor') })
      expect(copy.name).toBe('Copy of Auditor')
      expect(await storedPermissionCount(copy.roleKey)).toBe(1)
    })
  })
})
