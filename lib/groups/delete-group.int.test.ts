import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { groupMembers, groups } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { ConflictError, ForbiddenError, UnauthenticatedError, ValidationError } from '@/lib/errors'
import { createApp, createAppRole, createGroup, grantAppRole, qaGroupManager } from '@/test/access-factories'
import { auditRows, createMember, insertUsers, userRow, type Member } from '@/test/factories'
import { anonymous, setupOrganization, useTestDatabase } from '@/test/harness'
import { deleteGroup, previewGroupDeletion } from './delete-group'

async function exists(key: string) {
  const db = await getDb()
  return (await db.select({ key: groups.key }).from(groups).where(eq(groups.key, key))).length === 1
}

describe('deleting a group (GRP-3)', () => {
  useTestDatabase()
  let admin: Ctx
  let developer: Member
  let qaManager: Member
  let approver: Map<string, string>
  let viewer: Map<string, string>

  beforeAll(async () => {
    ;({ admin } = await setupOrganization())
    developer = await createMember(admin)
    qaManager = await qaGroupManager(admin)
    const orders = await createApp('Orders')
    approver = (await createAppRole(orders.key, 'Approver')).instances
    viewer = (await createAppRole(orders.key, 'Viewer')).instances
  })

  it('previews which users lose which roles, then removes the roles its members held only through it', async () => {
    const [keeps, loses, alsoLoses] = await insertUsers([{ name: 'Keeps direct role' }, { name: 'Loses everything' }, { name: 'Also loses' }])
    const groupKey = await createGroup('Doomed', 'PRD', { instanceKeys: [approver.get('PRD')!, viewer.get('PRD')!], userKeys: [keeps, loses, alsoLoses] })
    await grantAppRole(keeps, [approver.get('PRD')!])
    for (const u of [keeps, loses, alsoLoses]) expect((await userRow(u)).isEndUser).toBe(true)

    const impact = await previewGroupDeletion(admin, { groupKey })
    expect(impact).toMatchObject({
      members: 3,
      usersLosingAccess: 3,
      roles: [
        { appName: 'Orders', roleName: 'Approver', users: 2 },
        { appName: 'Orders', roleName: 'Viewer', users: 3 },
      ],
    })
    expect(impact.firstUsers.map((u) => u.name)).toEqual(['Also loses', 'Keeps direct role', 'Loses everything'])

    await deleteGroup(admin, { groupKey, version: 1 })
    expect(await exists(groupKey)).toBe(false)
    const db = await getDb()
    expect(await db.select().from(groupMembers).where(eq(groupMembers.groupKey, groupKey))).toEqual([])
    expect((await userRow(loses)).isEndUser).toBe(false)
    expect((await userRow(alsoLoses)).isEndUser).toBe(false)
    expect((await userRow(keeps)).isEndUser).toBe(true) // direct roles stay
    const [event] = await auditRows('group.deleted', groupKey)
    expect(event).toMatchObject({
      targetLabel: 'Doomed',
      changes: {
        before: { name: 'Doomed', stage: 'PRD' },
        counts: { users: 3, roles: 2, usersLosingAccess: 3 },
        rolesLost: [
          { role: 'Orders · Approver', users: 2 },
          { role: 'Orders · Viewer', users: 3 },
        ],
      },
    })
  })

  it('keeps users end-users when another group still grants them a role', async () => {
    const [u] = await insertUsers([{ name: 'In two groups' }])
    const a = await createGroup('A', 'DEV', { instanceKeys: [viewer.get('DEV')!], userKeys: [u] })
    await createGroup('B', 'DEV', { instanceKeys: [approver.get('DEV')!], userKeys: [u] })
    expect((await previewGroupDeletion(admin, { groupKey: a })).roles).toEqual([expect.objectContaining({ roleName: 'Viewer', users: 1 })])
    await deleteGroup(admin, { groupKey: a, version: 1 })
    expect((await userRow(u)).isEndUser).toBe(true)
  })

  it('deletes an empty group, recording zero counts', async () => {
    const groupKey = await createGroup('Empty', 'DEV')
    expect(await previewGroupDeletion(admin, { groupKey })).toEqual({ members: 0, roles: [], usersLosingAccess: 0, firstUsers: [] })
    await deleteGroup(admin, { groupKey, version: 1 })
    const [event] = await auditRows('group.deleted', groupKey)
    expect(event.changes).toMatchObject({ counts: { users: 0, roles: 0, usersLosingAccess: 0 }, rolesLost: [] })
  })

  it('refuses a stale version and keeps the group', async () => {
    const groupKey = await createGroup('Edited meanwhile', 'DEV')
    const db = await getDb()
    await db.update(groups).set({ version: 2 }).where(eq(groups.key, groupKey))
    await expect(deleteGroup(admin, { groupKey, version: 1 })).rejects.toBeInstanceOf(ConflictError)
    expect(await exists(groupKey)).toBe(true)
  })

  it('authorizes per stage and refuses bad input, changing nothing', async () => {
    const qa = await createGroup('QA deletable', 'QA')
    const prd = await createGroup('PRD kept', 'PRD')
    const dev = await createGroup('DEV kept', 'DEV')
    await expect(deleteGroup(qaManager.ctx(), { groupKey: prd, version: 1 })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(previewGroupDeletion(qaManager.ctx(), { groupKey: prd })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(deleteGroup(developer.ctx(), { groupKey: dev, version: 1 })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(deleteGroup(anonymous(), { groupKey: dev, version: 1 })).rejects.toBeInstanceOf(UnauthenticatedError)
    const error = await deleteGroup(admin, { groupKey: dev }).catch((e) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect(error.fieldErrors.version).toBeDefined()
    expect(await exists(prd)).toBe(true)
    expect(await exists(dev)).toBe(true)
    await deleteGroup(qaManager.ctx(), { groupKey: qa, version: 1 })
    expect(await exists(qa)).toBe(false)
    expect(await auditRows('group.deleted', prd)).toEqual([])
  })
})
