import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { groupMembers } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { ConflictError, ForbiddenError, UnauthenticatedError, ValidationError } from '@/lib/errors'
import { createApp, createAppRole, createGroup, qaGroupManager } from '@/test/access-factories'
import { auditRows, createMember, insertUsers, userRow, type Member } from '@/test/factories'
import { anonymous, setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { addGroupMember } from './add-group-member'
import { listGroupMembers } from './list-group-members'
import { removeGroupMember } from './remove-group-member'
import { setUserGroupMembership } from './set-user-group-membership'

async function membershipsOf(groupKey: string, userKey: string) {
  const db = await getDb()
  return (await db.select({ type: groupMembers.type }).from(groupMembers).where(and(eq(groupMembers.groupKey, groupKey), eq(groupMembers.userKey, userKey)))).map((m) => m.type).sort()
}

describe('group members (GRP-1, UI-7 users tab)', () => {
  useTestDatabase()
  let admin: Ctx
  let developer: Member
  let qaManager: Member
  let viewerRole: Map<string, string>

  beforeAll(async () => {
    ;({ admin } = await setupOrganization())
    developer = await createMember(admin)
    qaManager = await qaGroupManager(admin)
    viewerRole = (await createAppRole((await createApp('Orders')).key, 'Viewer')).instances
  })

  it('adds a user by email, making them an end-user, and removing them takes it back', async () => {
    const email = uniqueEmail('enduser')
    const [userKey] = await insertUsers([{ name: 'Ivy', email, status: 'Invited' }])
    const groupKey = await createGroup('Viewers', 'PRD', { instanceKeys: [viewerRole.get('PRD')!] })

    await addGroupMember(admin, { groupKey, email: email.toUpperCase() })
    expect(await membershipsOf(groupKey, userKey)).toEqual(['Assigned'])
    expect((await userRow(userKey)).isEndUser).toBe(true)
    const [added] = await auditRows('group.member_added', groupKey)
    expect(added.changes).toMatchObject({ user: { key: userKey, label: email }, type: 'Assigned', groupRoles: 1 })

    const again = await addGroupMember(admin, { groupKey, email }).catch((e) => e)
    expect(again).toBeInstanceOf(ConflictError)
    expect(again.fieldErrors.email).toEqual(['Already a member of this group.'])

    await removeGroupMember(admin, { groupKey, userKey })
    expect(await membershipsOf(groupKey, userKey)).toEqual([])
    expect((await userRow(userKey)).isEndUser).toBe(false)
    expect(await auditRows('group.member_removed', groupKey)).toHaveLength(1)
    await expect(removeGroupMember(admin, { groupKey, userKey })).rejects.toBeInstanceOf(ConflictError)
  })

  it('refuses an unknown email with a field error', async () => {
    const groupKey = await createGroup('Nobody', 'DEV')
    const error = await addGroupMember(admin, { groupKey, email: 'nobody@example.test' }).catch((e) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect(error.fieldErrors.email[0]).toMatch(/No user has this email/)
    const bad = await addGroupMember(admin, { groupKey, email: 'not an email' }).catch((e) => e)
    expect(bad).toBeInstanceOf(ValidationError)
    expect(bad.fieldErrors.email).toBeDefined()
    expect(await auditRows('group.member_added', groupKey)).toEqual([])
  })

  it('shows Mapped memberships but refuses to remove them here', async () => {
    const [userKey] = await insertUsers([{ name: 'Mapped Max', email: uniqueEmail('mapped') }])
    const groupKey = await createGroup('Claims', 'DEV')
    const db = await getDb()
    await db.insert(groupMembers).values({ groupKey, userKey, type: 'Mapped' })
    const page = await listGroupMembers(admin, { groupKey })
    expect(page.rows).toEqual([expect.objectContaining({ key: userKey, types: ['Mapped'] })])
    const error = await removeGroupMember(admin, { groupKey, userKey }).catch((e) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect(error.message).toMatch(/identity provider/)
    expect(await membershipsOf(groupKey, userKey)).toEqual(['Mapped'])

    // Assigned on top of Mapped: removing takes away the Assigned one only.
    await setUserGroupMembership(admin, { userKey, groupKey, member: true })
    expect(await membershipsOf(groupKey, userKey)).toEqual(['Assigned', 'Mapped'])
    expect((await listGroupMembers(admin, { groupKey })).rows[0].types).toEqual(['Assigned', 'Mapped'])
    await setUserGroupMembership(admin, { userKey, groupKey, member: 'false' })
    expect(await membershipsOf(groupKey, userKey)).toEqual(['Mapped'])
  })

  it('setUserGroupMembership is idempotent and audits only real changes', async () => {
    const [userKey] = await insertUsers([{ name: 'Toggle' }])
    const groupKey = await createGroup('Toggle group', 'QA', { instanceKeys: [viewerRole.get('QA')!] })
    expect(await setUserGroupMembership(admin, { userKey, groupKey, member: true })).toEqual({ changed: true })
    expect(await setUserGroupMembership(admin, { userKey, groupKey, member: true })).toEqual({ changed: false })
    expect((await userRow(userKey)).isEndUser).toBe(true)
    expect(await setUserGroupMembership(admin, { userKey, groupKey, member: false })).toEqual({ changed: true })
    expect(await setUserGroupMembership(admin, { userKey, groupKey, member: false })).toEqual({ changed: false })
    expect((await userRow(userKey)).isEndUser).toBe(false)
    expect(await auditRows('group.member_added', groupKey)).toHaveLength(1)
    expect(await auditRows('group.member_removed', groupKey)).toHaveLength(1)
  })

  it('authorizes per stage: QA-limited role only in QA; Developer may list DEV members but not change them', async () => {
    const email = uniqueEmail('stage')
    const [userKey] = await insertUsers([{ name: 'Stage user', email }])
    const qa = await createGroup('QA members', 'QA')
    const prd = await createGroup('PRD members', 'PRD')
    const dev = await createGroup('DEV members', 'DEV', { userKeys: [userKey] })
    await addGroupMember(qaManager.ctx(), { groupKey: qa, email })
    await expect(addGroupMember(qaManager.ctx(), { groupKey: prd, email })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(setUserGroupMembership(qaManager.ctx(), { userKey, groupKey: prd, member: true })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(listGroupMembers(qaManager.ctx(), { groupKey: prd })).rejects.toBeInstanceOf(ForbiddenError)

    expect((await listGroupMembers(developer.ctx(), { groupKey: dev })).rows.map((r) => r.key)).toEqual([userKey])
    await expect(listGroupMembers(developer.ctx(), { groupKey: prd })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(removeGroupMember(developer.ctx(), { groupKey: dev, userKey })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(addGroupMember(anonymous(), { groupKey: dev, email })).rejects.toBeInstanceOf(UnauthenticatedError)
    expect(await membershipsOf(prd, userKey)).toEqual([])
    expect(await membershipsOf(dev, userKey)).toEqual(['Assigned'])
  })

  it('pages through members by name, with search', async () => {
    const names = Array.from({ length: 25 }, (_, i) => `Pager ${String(i).padStart(2, '0')}`)
    const keys = await insertUsers(names.map((name) => ({ name, email: uniqueEmail('pager') })))
    const groupKey = await createGroup('Big', 'DEV', { userKeys: keys })
    const seen: string[] = []
    let page = await listGroupMembers(admin, { groupKey, perPage: 10 })
    expect(page.previous).toBeNull()
    seen.push(...page.rows.map((r) => r.name))
    while (page.next) {
      page = await listGroupMembers(admin, { groupKey, perPage: 10, after: page.next })
      seen.push(...page.rows.map((r) => r.name))
    }
    expect(seen).toEqual(names)
    const back = await listGroupMembers(admin, { groupKey, perPage: 10, before: page.previous! })
    expect(back.rows.map((r) => r.name)).toEqual(names.slice(10, 20))
    expect((await listGroupMembers(admin, { groupKey, q: 'PAGER 1' })).rows.map((r) => r.name)).toEqual(names.slice(10, 20))
    expect((await listGroupMembers(admin, { groupKey, q: '100%' })).rows).toEqual([])
  })
})
