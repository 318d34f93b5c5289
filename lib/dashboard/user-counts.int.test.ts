import { eq, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { organizations, userCountDeltas, users } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { inviteMember } from '@/lib/users/invite-member'
import { insertUsers, roleKeyOf, userRow } from '@/test/factories'
import { setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { getDashboard, userCounts } from './get-dashboard'

async function counts() {
  const db = await getDb()
  return db.transaction((tx) => userCounts(tx))
}

/** What the counts must equal: a full count over users, the slow way. */
async function recounted() {
  const db = await getDb()
  const [row] = (
    await db.execute<{ users: number; members: number; internal: number; external: number; invited: number }>(sql`select
      count(*)::int as users,
      count(*) filter (where is_member)::int as members,
      count(*) filter (where is_end_user and is_internal)::int as internal,
      count(*) filter (where is_end_user and not is_internal)::int as external,
      count(*) filter (where status = 'Invited')::int as invited
    from users`)
  ).rows
  return { users: row.users, members: row.members, internalEndUsers: row.internal, externalEndUsers: row.external, pendingInvitations: row.invited }
}

async function setInternalDomains(domains: string[]) {
  const db = await getDb()
  await db.update(organizations).set({ internalDomains: domains })
}

describe('internal and external end-users, and the live counts (CLS-1, CLS-2)', () => {
  useTestDatabase()
  let admin: Ctx

  beforeAll(async () => {
    ;({ admin } = await setupOrganization())
  })

  it('classifies everyone as internal while no internal domain is set', async () => {
    const [a, b] = await insertUsers([
      { name: 'Anywhere', email: uniqueEmail('x'), isEndUser: true },
      { name: 'No email', email: null, isEndUser: true },
    ])
    expect((await userRow(a)).isInternal).toBe(true)
    expect((await userRow(b)).isInternal).toBe(true)
    expect(await counts()).toEqual(await recounted())
  })

  it('classifies by the email domain, ignoring case, and keeps users without an email internal', async () => {
    await setInternalDomains(['acme.test'])
    const [inside, upper, outside, none] = await insertUsers([
      { name: 'Inside', email: 'inside@acme.test', isEndUser: true },
      { name: 'Upper', email: 'Upper@ACME.test', isEndUser: true },
      { name: 'Outside', email: 'outside@partner.test', isEndUser: true },
      { name: 'Nobody', email: null, isEndUser: true },
    ])
    expect((await userRow(inside)).isInternal).toBe(true)
    expect((await userRow(upper)).isInternal).toBe(true)
    expect((await userRow(outside)).isInternal).toBe(false)
    expect((await userRow(none)).isInternal).toBe(true)
    // A sub-domain is another domain.
    const [sub] = await insertUsers([{ name: 'Sub', email: 'sub@eu.acme.test', isEndUser: true }])
    expect((await userRow(sub)).isInternal).toBe(false)
    expect(await counts()).toEqual(await recounted())
  })

  it('moves a user between the counts when their email, kind, status or existence changes', async () => {
    await setInternalDomains(['acme.test'])
    const before = await counts()
    const [key] = await insertUsers([{ name: 'Mover', email: 'mover@partner.test', isEndUser: true }])
    expect(await counts()).toEqual({ ...before, users: before.users + 1, externalEndUsers: before.externalEndUsers + 1 })
    const db = await getDb()
    await db.update(users).set({ email: 'mover@acme.test' }).where(eq(users.key, key))
    expect(await counts()).toEqual({ ...before, users: before.users + 1, internalEndUsers: before.internalEndUsers + 1 })
    await db.update(users).set({ isEndUser: false, isMember: true }).where(eq(users.key, key))
    expect(await counts()).toEqual({ ...before, users: before.users + 1, members: before.members + 1 })
    await db.update(users).set({ status: 'Invited' }).where(eq(users.key, key))
    expect(await counts()).toEqual({ ...before, users: before.users + 1, members: before.members + 1, pendingInvitations: before.pendingInvitations + 1 })
    await db.delete(users).where(eq(users.key, key))
    expect(await counts()).toEqual(before)
    expect(await counts()).toEqual(await recounted())
  })

  it('appends nothing for a change that moves no count, such as a sign-in', async () => {
    const db = await getDb()
    const [key] = await insertUsers([{ name: 'Regular', email: uniqueEmail('r'), isEndUser: true }])
    const [{ rows }] = await db.select({ rows: sql<number>`count(*)::int` }).from(userCountDeltas)
    await db.update(users).set({ lastLoginAt: new Date(), name: 'Regular Again' }).where(eq(users.key, key))
    const [{ rows: after }] = await db.select({ rows: sql<number>`count(*)::int` }).from(userCountDeltas)
    expect(after).toBe(rows)
  })

  it('counts a many-row statement in one step', async () => {
    await setInternalDomains([])
    const before = await counts()
    await insertUsers(Array.from({ length: 500 }, (_, i) => ({ name: `Bulk ${i}`, email: uniqueEmail('bulk'), isEndUser: i % 2 === 0, isMember: i % 5 === 0 })))
    expect(await counts()).toEqual({ ...before, users: before.users + 500, internalEndUsers: before.internalEndUsers + 250, members: before.members + 100 })
  })

  it('folds the appended changes once they pile up, without changing the counts', async () => {
    const db = await getDb()
    for (let i = 0; i < 210; i++) await insertUsers([{ name: `One by one ${i}`, email: uniqueEmail('one'), isEndUser: true }])
    const expected = await recounted()
    expect((await getDashboard(admin)).counts).toEqual(expected)
    const [{ rows }] = await db.select({ rows: sql<number>`count(*)::int` }).from(userCountDeltas)
    expect(rows).toBeLessThanOrEqual(5) // one row per kind
    expect(await counts()).toEqual(expected)
  })

  it('stays exact under concurrent invitations', async () => {
    const roleKey = await roleKeyOf('Developer')
    await Promise.all(Array.from({ length: 12 }, () => inviteMember(admin, { email: uniqueEmail('parallel'), roleKey })))
    expect(await counts()).toEqual(await recounted())
  })
})
