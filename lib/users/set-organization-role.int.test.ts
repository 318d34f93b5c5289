import { randomUUID } from 'node:crypto'
import { and, eq, isNull } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { roleAssignments } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors'
import { getNavigation } from '@/lib/me/navigation'
import { auditRows, createMember, createRole, roleKeyOf, userRow, type Member } from '@/test/factories'
import { ADMIN, asUser, setupOrganization, useTestDatabase } from '@/test/harness'
import { setOrganizationRole } from './set-organization-role'

describe("setting a member's organization role (ROLE-4, AUTHZ-5, AUTHZ-6)", () => {
  const database = useTestDatabase()
  let adminKey: string
  let admin: () => Ctx
  let manager: Member
  let roleKey: Record<'Administrator' | 'Developer' | 'Auditor', string>

  beforeAll(async () => {
    const org = await setupOrganization()
    adminKey = org.userKey
    admin = () => asUser(org.userKey, ADMIN.email)
    await createRole('Access manager', [{ slug: 'users.manage_member_access' }])
    manager = await createMember(admin(), { role: 'Access manager' })
    roleKey = {
      Administrator: await roleKeyOf('Administrator'),
      Developer: await roleKeyOf('Developer'),
      Auditor: await createRole('Auditor', [{ slug: 'org.view_audit' }]),
    }
  })

  const orgGrants = (userKey: string) =>
    database.current().db.select().from(roleAssignments).where(and(eq(roleAssignments.userKey, userKey), isNull(roleAssignments.appKey)))

  it('replaces the previous role, keeping exactly one organization-scope grant, effective on the next request', async () => {
    const dev = await createMember(admin())
    expect((await getNavigation(dev.ctx())).audit).toBe(false)

    await setOrganizationRole(admin(), { userKey: dev.userKey, roleKey: roleKey.Auditor })

    const grants = await orgGrants(dev.userKey)
    expect(grants).toHaveLength(1)
    expect(grants[0].roleKey).toBe(roleKey.Auditor)
    expect((await getNavigation(dev.ctx())).audit).toBe(true)
    const [event] = await auditRows('member.organization_role_changed', dev.userKey)
    expect(event).toMatchObject({ actorKey: adminKey, changes: { before: { organizationRole: 'Developer' }, after: { organizationRole: 'Auditor' } } })
  })

  it('removes the grant with "No role" and the user stops being a member', async () => {
    const dev = await createMember(admin())
    expect((await userRow(dev.userKey)).isMember).toBe(true)
    await setOrganizationRole(admin(), { userKey: dev.userKey, roleKey: '' })
    expect(await orgGrants(dev.userKey)).toEqual([])
    expect((await userRow(dev.userKey)).isMember).toBe(false)
    const [event] = await auditRows('member.organization_role_changed', dev.userKey)
    expect(event.changes).toMatchObject({ before: { organizationRole: 'Developer' }, after: { organizationRole: null } })

    // And back: giving a role makes them a member again.
    await setOrganizationRole(admin(), { userKey: dev.userKey, roleKey: roleKey.Developer })
    expect((await userRow(dev.userKey)).isMember).toBe(true)
    expect(await orgGrants(dev.userKey)).toHaveLength(1)
    const events = await auditRows('member.organization_role_changed', dev.userKey)
    expect(events[1].changes).toMatchObject({ before: { organizationRole: null }, after: { organizationRole: 'Developer' } })
  })

  it('writes nothing when the role does not change', async () => {
    const dev = await createMember(admin())
    await setOrganizationRole(admin(), { userKey: dev.userKey, roleKey: roleKey.Developer })
    expect(await auditRows('member.organization_role_changed', dev.userKey)).toEqual([])
  })

  it('refuses changing your own role', async () => {
    const error = await setOrganizationRole(admin(), { userKey: adminKey, roleKey: roleKey.Developer }).catch((e) => e)
    expect(error).toBeInstanceOf(ForbiddenError)
    expect(error.message).toMatch(/yourself/)
    expect((await orgGrants(adminKey))[0].roleKey).toBe(roleKey.Administrator)
    expect(await auditRows('member.organization_role_changed', adminKey)).toEqual([])
  })

  it('refuses an unknown role, an unknown user, bad input and members without the permission', async () => {
    const dev = await createMember(admin())
    const other = await createMember(admin())
    await expect(setOrganizationRole(admin(), { userKey: dev.userKey, roleKey: randomUUID() })).rejects.toMatchObject({ fieldErrors: { roleKey: expect.any(Array) } })
    await expect(setOrganizationRole(admin(), { userKey: randomUUID(), roleKey: roleKey.Developer })).rejects.toBeInstanceOf(NotFoundError)
    await expect(setOrganizationRole(admin(), { userKey: dev.userKey, roleKey: 'Administrator' })).rejects.toBeInstanceOf(ValidationError)
    await expect(setOrganizationRole(admin(), { userKey: dev.userKey })).rejects.toBeInstanceOf(ValidationError)
    await expect(setOrganizationRole(other.ctx(), { userKey: dev.userKey, roleKey: roleKey.Administrator })).rejects.toBeInstanceOf(ForbiddenError)
    expect((await orgGrants(dev.userKey))[0].roleKey).toBe(roleKey.Developer)
    expect(await auditRows('member.organization_role_changed', dev.userKey)).toEqual([])
  })

  it('refuses demoting or removing the last active administrator, and allows it once there is another', async () => {
    for (const next of [roleKey.Developer, '']) {
      const error = await setOrganizationRole(manager.ctx(), { userKey: adminKey, roleKey: next }).catch((e) => e)
      expect(error).toBeInstanceOf(ForbiddenError)
      expect(error.message).toMatch(/last active administrator/)
    }
    expect((await orgGrants(adminKey))[0].roleKey).toBe(roleKey.Administrator)
    expect(await auditRows('member.organization_role_changed', adminKey)).toEqual([])

    const second = await createMember(admin(), { role: 'Administrator' })
    await setOrganizationRole(manager.ctx(), { userKey: adminKey, roleKey: roleKey.Developer })
    expect((await orgGrants(adminKey))[0].roleKey).toBe(roleKey.Developer)
    const [event] = await auditRows('member.organization_role_changed', adminKey)
    expect(event.changes).toMatchObject({ before: { organizationRole: 'Administrator' }, after: { organizationRole: 'Developer' } })
    // The demoted administrator has lost their authority on their very next request.
    await expect(setOrganizationRole(admin(), { userKey: manager.userKey, roleKey: roleKey.Developer })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(setOrganizationRole(manager.ctx(), { userKey: second.userKey, roleKey: '' })).rejects.toThrow(/last active administrator/)
    await setOrganizationRole(second.ctx(), { userKey: adminKey, roleKey: roleKey.Administrator })
    expect((await orgGrants(adminKey))[0].roleKey).toBe(roleKey.Administrator)
  })
})
