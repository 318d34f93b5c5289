import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { groupMembers } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors'
import { accessSnapshot, createApp, createAppRole, createGroup, qaGroupManager } from '@/test/access-factories'
import { auditRows, insertUsers, userRow, type Member } from '@/test/factories'
import { setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { changeGroupMembers } from './change-group-members'

async function membersOf(groupKey: string) {
  const db = await getDb()
  const rows = await db.select({ userKey: groupMembers.userKey, type: groupMembers.type }).from(groupMembers).where(eq(groupMembers.groupKey, groupKey))
  return rows.map((r) => `${r.userKey}:${r.type}`).sort()
}

describe('changeGroupMembers (add and remove lists)', () => {
  useTestDatabase()
  let admin: Ctx
  let qaManager: Member
  let viewer: Map<string, string>

  beforeAll(async () => {
    ;({ admin } = await setupOrganization())
    qaManager = await qaGroupManager(admin)
    viewer = (await createAppRole((await createApp('Ledger')).key, 'Viewer')).instances
  })

  it('adds and removes in one change, one audit event per user, and repeats change nothing', async () => {
    const [a, b, c] = await insertUsers([
      { name: 'Ann', email: uniqueEmail('ann') },
      { name: 'Ben', email: uniqueEmail('ben') },
      { name: 'Cid', email: uniqueEmail('cid') },
    ])
    const groupKey = await createGroup('Ledger viewers', 'QA', { instanceKeys: [viewer.get('QA')!], userKeys: [c] })
    expect(await changeGroupMembers(qaManager.ctx(), { groupKey, addUserKeys: [a, b, a], removeUserKeys: [c] })).toEqual({ added: 2, removed: 1 })
    expect(await membersOf(groupKey)).toEqual([`${a}:Assigned`, `${b}:Assigned`].sort())
    expect((await userRow(a)).isEndUser).toBe(true)
    expect((await userRow(c)).isEndUser).toBe(false)
    expect((await auditRows('group.member_added', groupKey)).map((r) => (r.changes as { user: { key: string } }).user.key).sort()).toEqual([a, b].sort())
    expect(await auditRows('group.member_removed', groupKey)).toHaveLength(1)

    expect(await changeGroupMembers(qaManager.ctx(), { groupKey, addUserKeys: [a], removeUserKeys: [c] })).toEqual({ added: 0, removed: 0 })
    expect(await auditRows('group.member_added', groupKey)).toHaveLength(2)
  })

  it('refuses unknown users, a user in both lists, too many keys and Mapped memberships, changing nothing', async () => {
    const [a, mapped] = await insertUsers([
      { name: 'Ada', email: uniqueEmail('ada') },
      { name: 'Max', email: uniqueEmail('max') },
    ])
    const groupKey = await createGroup('Strict', 'QA')
    await (await getDb()).insert(groupMembers).values({ groupKey, userKey: mapped, type: 'Mapped' })
    const before = await accessSnapshot()
    const [ghost1, ghost2] = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']

    const missing = await changeGroupMembers(admin, { groupKey, addUserKeys: [a, ghost1], removeUserKeys: [ghost2] }).catch((e) => e)
    expect(missing).toBeInstanceOf(ValidationError)
    expect(missing.fieldErrors).toEqual({ addUserKeys: [`No user has the key ${ghost1}.`], removeUserKeys: [`No user has the key ${ghost2}.`] })
    const both = await changeGroupMembers(admin, { groupKey, addUserKeys: [a], removeUserKeys: [a] }).catch((e) => e)
    expect(both.fieldErrors.removeUserKeys[0]).toMatch(/also in the list to add/)
    const many = Array.from({ length: 21 }, () => a)
    expect((await changeGroupMembers(admin, { groupKey, addUserKeys: many }).catch((e) => e)).fieldErrors.addUserKeys).toEqual(['At most 20 user keys at a time.'])
    // The add before the refused removal is rolled back with it.
    const viaClaim = await changeGroupMembers(admin, { groupKey, addUserKeys: [a], removeUserKeys: [mapped] }).catch((e) => e)
    expect(viaClaim).toBeInstanceOf(ValidationError)
    expect(viaClaim.message).toMatch(/claim mapping/)

    expect(await membersOf(groupKey)).toEqual([`${mapped}:Mapped`])
    expect(await accessSnapshot()).toEqual(before)
  })

  it('needs endusers.manage_groups in the group’s stage, and an existing group', async () => {
    const [a] = await insertUsers([{ name: 'Dee', email: uniqueEmail('dee') }])
    const devGroup = await createGroup('Dev only', 'DEV')
    await expect(changeGroupMembers(qaManager.ctx(), { groupKey: devGroup, addUserKeys: [a] })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(changeGroupMembers(admin, { groupKey: '00000000-0000-4000-8000-000000000000', addUserKeys: [a] })).rejects.toBeInstanceOf(NotFoundError)
    const db = await getDb()
    expect(await db.select().from(groupMembers).where(and(eq(groupMembers.groupKey, devGroup), eq(groupMembers.userKey, a)))).toEqual([])
  })
})
