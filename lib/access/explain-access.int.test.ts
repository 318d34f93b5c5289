import { and, eq, isNull } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { apps, roleAssignments } from '@/db/schema'
import { developerGrants, permissionDefs } from '@/lib/authz/catalogue'
import type { Ctx } from '@/lib/context'
import { UnauthenticatedError } from '@/lib/errors'
import { createMember, createRole, roleKeyOf } from '@/test/factories'
import { ADMIN, anonymous, asUser, setupOrganization, useTestDatabase } from '@/test/harness'
import { getMyAccess, type AccessExplanation } from './explain-access'

const find = (access: AccessExplanation, slug: string) => access.categories.flatMap((c) => c.permissions).find((p) => p.slug === slug)

describe('my access (UI-12)', () => {
  let admin: () => Ctx
  const database = useTestDatabase()

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
  })

  it('lists a Developer’s permissions with their stage limits and where they come from', async () => {
    const dev = await createMember(admin())
    const access = await getMyAccess(dev.ctx())
    expect(access).toMatchObject({ userKey: dev.userKey, label: dev.email, organizationRole: { name: 'Developer', state: 'active' }, appRoles: [] })
    const slugs = access.categories.flatMap((c) => c.permissions.map((p) => p.slug))
    expect(new Set(slugs)).toEqual(new Set(developerGrants.map((g) => g.slug)))
    expect(find(access, 'users.manage')).toBeUndefined()

    const manageAccess = find(access, 'endusers.manage_access')!
    expect(manageAccess.sources).toEqual([expect.objectContaining({ roleName: 'Developer', scopeLabel: 'Developer · organization', stageLabel: 'DEV', viaLabel: null })])
    for (const slug of ['endusers.view', 'release.deploy', 'monitoring.logs', 'config.view', 'config.edit_asset']) expect(find(access, slug)!.sources[0].stageLabel, slug).toBe('DEV')
    for (const slug of ['asset.open', 'asset.change', 'users.view_members', 'release.release']) expect(find(access, slug)!.sources[0].stageLabel, slug).toBe('All stages')

    const endUserCategory = access.categories.find((c) => c.category === 'End-user management')!
    expect(endUserCategory.permissions.map((p) => p.slug)).toEqual(['endusers.view', 'endusers.manage_access'])
    // Categories and permissions follow the catalogue's order.
    const positions = slugs.map((s) => permissionDefs.find((p) => p.slug === s)!.position)
    expect(positions).toEqual([...positions].sort((a, b) => a - b))
  })

  it('explains permissions reached through inheritance', async () => {
    await createRole('Changer', [{ slug: 'asset.change' }])
    const changer = await createMember(admin(), { role: 'Changer' })
    const access = await getMyAccess(changer.ctx())
    expect(access.categories.flatMap((c) => c.permissions.map((p) => p.slug))).toEqual(['asset.open', 'asset.debug', 'asset.change'])
    expect(find(access, 'asset.open')!.sources[0]).toMatchObject({ chain: ['asset.change', 'asset.debug', 'asset.open'], viaLabel: 'included in Change' })
  })

  it('gives an administrator every permission in every stage', async () => {
    const access = await getMyAccess(admin())
    const all = access.categories.flatMap((c) => c.permissions)
    expect(all).toHaveLength(permissionDefs.length)
    expect(all.every((p) => p.sources.every((s) => s.stageLabel === 'All stages' && s.roleName === 'Administrator'))).toBe(true)
  })

  it('shows app-scope roles, and nothing from a grant outside its period', async () => {
    const db = database.current().db
    const member = await createMember(admin())
    const [app] = await db.insert(apps).values({ name: 'Alpha' }).returning()
    await db.insert(roleAssignments).values({ userKey: member.userKey, roleKey: await roleKeyOf('Administrator'), appKey: app.key })
    const expired = new Date(Date.now() - 86_400_000)
    await db.update(roleAssignments).set({ endsAt: expired }).where(and(eq(roleAssignments.userKey, member.userKey), isNull(roleAssignments.appKey)))

    const access = await getMyAccess(member.ctx())
    expect(access.organizationRole).toMatchObject({ name: 'Developer', state: 'expired', endsAt: expired })
    expect(access.appRoles).toEqual([expect.objectContaining({ appName: 'Alpha', roleName: 'Administrator', state: 'active' })])
    // Only what the Administrator role can confer at app scope, and only for Alpha.
    expect(find(access, 'users.manage')).toBeUndefined()
    expect(find(access, 'users.view_members')).toBeUndefined()
    expect(find(access, 'asset.delete')!.sources).toEqual([expect.objectContaining({ appKey: app.key, scopeLabel: 'Administrator · app Alpha' })])
  })

  it('refuses the signed-out', async () => {
    await expect(getMyAccess(anonymous())).rejects.toBeInstanceOf(UnauthenticatedError)
  })
})
