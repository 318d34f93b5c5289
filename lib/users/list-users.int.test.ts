import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { organizations, type UserStatus } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { ForbiddenError } from '@/lib/errors'
import { createMember, createRole, insertUsers, type Member } from '@/test/factories'
import { ADMIN, asUser, setupOrganization, useTestDatabase } from '@/test/harness'
import { listUsers, type UserRow } from './list-users'
import { USER_SORTS, type UserSort } from './schemas'

const STATUS_ORDER: UserStatus[] = ['Invited', 'PendingRegistration', 'Active', 'Inactive']
const pad = (n: number) => String(n).padStart(2, '0')
const BASE = Date.parse('2024-03-01T00:00:00Z')

type Seeded = { key: string; name: string; email: string | null; status: UserStatus; isMember: boolean; isEndUser: boolean; lastLoginAt: Date | null; createdAt: Date }

// 25 users whose name, email, status, last sign-in and creation orders all differ, with ties on
// status and on "never signed in" so that the key must break them.
function pagerRows(): Omit<Seeded, 'key'>[] {
  return Array.from({ length: 25 }, (_, idx) => {
    const i = idx + 1
    return {
      name: `Pager ${pad(i)}`,
      email: i === 13 ? null : `e${pad((i * 7) % 25)}-${pad(i)}@pager.test`,
      status: STATUS_ORDER[i % 4],
      isMember: i % 2 === 0,
      isEndUser: i % 3 === 0,
      lastLoginAt: i % 5 === 0 ? null : new Date(BASE + ((i * 11) % 25) * 60_000),
      createdAt: new Date(BASE - ((i * 3) % 25) * 1_000),
    }
  })
}

const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0)
const sortValue: Record<UserSort, (u: Seeded) => string | number> = {
  name: (u) => u.name.toLowerCase(),
  email: (u) => (u.email ?? '').toLowerCase(),
  status: (u) => STATUS_ORDER.indexOf(u.status),
  lastLogin: (u) => u.lastLoginAt?.getTime() ?? -Infinity,
  created: (u) => u.createdAt.getTime(),
}
function expectedOrder(rows: Seeded[], sort: UserSort, dir: 'asc' | 'desc'): string[] {
  const sorted = [...rows].sort((a, b) => cmp(sortValue[sort](a), sortValue[sort](b)) || cmp(a.key, b.key))
  if (dir === 'desc') sorted.reverse()
  return sorted.map((u) => u.key)
}

describe('listing users (UI-3)', () => {
  let admin: () => Ctx
  let developer: Member
  let seeded: Seeded[]
  useTestDatabase()

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
    developer = await createMember(admin(), { role: 'Developer' })
    const rows = pagerRows()
    const keys = await insertUsers(rows)
    seeded = rows.map((r, i) => ({ ...r, key: keys[i] }))
  })

  const keysOf = (rows: UserRow[]) => rows.map((r) => r.key)

  it('pages forward then backward through every sort in both directions, with no duplicates or gaps', async () => {
    for (const sort of USER_SORTS) {
      for (const dir of ['asc', 'desc'] as const) {
        const label = `${sort} ${dir}`
        const base = { q: 'pager', sort, dir, perPage: 10 }
        const forward = [await listUsers(admin(), base)]
        expect(forward[0].previous, label).toBeNull()
        while (forward.at(-1)!.next) forward.push(await listUsers(admin(), { ...base, after: forward.at(-1)!.next }))
        expect(forward.map((p) => p.rows.length), label).toEqual([10, 10, 5])
        // Matches spread over several pages are not counted (see UserPage.total).
        expect(forward.every((p) => p.total === null && !p.totalIsLowerBound), label).toBe(true)
        const all = forward.flatMap((p) => keysOf(p.rows))
        expect(new Set(all).size, label).toBe(25)
        expect(all, label).toEqual(expectedOrder(seeded, sort, dir))

        const backward = [forward.at(-1)!]
        while (backward.at(-1)!.previous) backward.push(await listUsers(admin(), { ...base, before: backward.at(-1)!.previous }))
        expect(backward.map((p) => keysOf(p.rows)), label).toEqual(forward.map((p) => keysOf(p.rows)).reverse())
        // A page reached backwards still leads forwards.
        expect(backward[1].next, label).not.toBeNull()
        expect(keysOf((await listUsers(admin(), { ...base, after: backward[1].next })).rows), label).toEqual(keysOf(forward[2].rows))
      }
    }
  })

  it('searches names and email addresses by substring, case-insensitively', async () => {
    const byName = await listUsers(admin(), { q: 'PAGER 0' })
    expect(byName.rows.map((r) => r.name)).toEqual(['Pager 01', 'Pager 02', 'Pager 03', 'Pager 04', 'Pager 05', 'Pager 06', 'Pager 07', 'Pager 08', 'Pager 09'])
    expect(byName.total).toBe(9)
    const target = seeded.find((u) => u.name === 'Pager 07')!
    const byEmail = await listUsers(admin(), { q: target.email!.slice(0, 6).toUpperCase() })
    expect(byEmail.rows.map((r) => r.key)).toEqual([target.key])
    expect((await listUsers(admin(), { q: '@pager.test' })).total).toBe(24)
    expect((await listUsers(admin(), { q: 'no such person' })).rows).toEqual([])
  })

  it('matches % and _ literally', async () => {
    await insertUsers([{ name: 'Promo 50%_off' }, { name: 'Promo 50xxoff' }, { name: 'Promo 50%off' }, { name: 'Promo 50_aoff' }, { name: 'Promo back\\slash' }])
    // Sorted here: how punctuation collates depends on the server's locale.
    const names = async (q: string) => (await listUsers(admin(), { q })).rows.map((r) => r.name).sort()
    expect(await names('50%_off')).toEqual(['Promo 50%_off'])
    expect(await names('50%')).toEqual(['Promo 50%_off', 'Promo 50%off'].sort())
    expect(await names('50_')).toEqual(['Promo 50_aoff'])
    expect(await names('%_o')).toEqual(['Promo 50%_off'])
    expect(await names('k\\s')).toEqual(['Promo back\\slash'])
  })

  it('ignores a search term shorter than three characters and says so', async () => {
    const page = await listUsers(admin(), { q: '%' })
    expect(page.searchTooShort).toBe(true)
    expect(page.total).toBeGreaterThan(25)
    expect((await listUsers(admin(), { q: 'pag' })).searchTooShort).toBe(false)
  })

  it('finds a sparse term by walking further when the first window holds only some matches', async () => {
    // Sorted first by name, one in thirty holds the term: the first window sees about 33 matches.
    const rows = Array.from({ length: 2_000 }, (_, i) => ({ name: `Aaa sparse ${String(i).padStart(4, '0')}${i % 30 === 0 ? ' needle' : ''}` }))
    const keys = await insertUsers(rows)
    const expected = keys.filter((_, i) => i % 30 === 0)
    const base = { q: 'needle', sort: 'name', dir: 'asc', perPage: 50 } as const
    const first = await listUsers(admin(), base)
    expect(keysOf(first.rows)).toEqual(expected.slice(0, 50))
    const second = await listUsers(admin(), { ...base, after: first.next })
    expect(keysOf(second.rows)).toEqual(expected.slice(50))
    expect(second.next).toBeNull()
  })

  it('finds a rare term that sorts after a thousand other rows, paging both ways', async () => {
    // More rows than the search's first window, so the trigram plan answers.
    await insertUsers(Array.from({ length: 1_100 }, (_, i) => ({ name: `Filler ${String(i).padStart(4, '0')}` })))
    const rare = await insertUsers(Array.from({ length: 23 }, (_, i) => ({ name: `Zz rareterm ${String(i).padStart(2, '0')}` })))
    const base = { q: 'rareterm', sort: 'name', dir: 'asc', perPage: 10 } as const
    const pages = [await listUsers(admin(), base)]
    while (pages.at(-1)!.next) pages.push(await listUsers(admin(), { ...base, after: pages.at(-1)!.next }))
    expect(pages.map((p) => p.rows.length)).toEqual([10, 10, 3])
    expect(pages.flatMap((p) => keysOf(p.rows))).toEqual(rare)
    const back = await listUsers(admin(), { ...base, before: pages[2].previous })
    expect(keysOf(back.rows)).toEqual(keysOf(pages[1].rows))
    const desc = await listUsers(admin(), { ...base, dir: 'desc', perPage: 50 })
    expect(keysOf(desc.rows)).toEqual([...rare].reverse())
    expect(desc.total).toBe(23)
  })

  it('filters by status and by kind, with matching totals', async () => {
    for (const status of STATUS_ORDER) {
      const page = await listUsers(admin(), { q: 'pager', status, perPage: 100 })
      const expected = seeded.filter((u) => u.status === status)
      expect(page.total, status).toBe(expected.length)
      expect(new Set(keysOf(page.rows)), status).toEqual(new Set(expected.map((u) => u.key)))
    }
    const members = await listUsers(admin(), { q: 'pager', kind: 'member', perPage: 100 })
    expect(new Set(keysOf(members.rows))).toEqual(new Set(seeded.filter((u) => u.isMember).map((u) => u.key)))
    const endUsers = await listUsers(admin(), { q: 'pager', kind: 'end-user', status: 'Active', perPage: 100 })
    expect(new Set(keysOf(endUsers.rows))).toEqual(new Set(seeded.filter((u) => u.isEndUser && u.status === 'Active').map((u) => u.key)))
    expect(endUsers.total).toBe(endUsers.rows.length)
  })

  it('filters end-users by internal or external (CLS-1)', async () => {
    const db = await getDb()
    await db.update(organizations).set({ internalDomains: ['inside.test'] })
    const [inside, outside, noEmail] = await insertUsers([
      { name: 'Classy Inside', email: 'classy@inside.test', isEndUser: true },
      { name: 'Classy Outside', email: 'classy@outside.test', isEndUser: true },
      { name: 'Classy Nobody', email: null, isEndUser: true },
      { name: 'Classy Member', email: 'member@outside.test', isMember: true },
    ])
    try {
      const internal = await listUsers(admin(), { q: 'classy', class: 'internal' })
      expect(keysOf(internal.rows)).toEqual([inside, noEmail]) // name order
      expect(internal.rows.every((r) => r.isInternal && r.isEndUser)).toBe(true)
      const external = await listUsers(admin(), { q: 'classy', class: 'external' })
      expect(keysOf(external.rows)).toEqual([outside])
      expect((await listUsers(admin(), { class: 'sideways' })).rows.length).toBeGreaterThan(3)
    } finally {
      await db.update(organizations).set({ internalDomains: [] })
    }
  })

  it('shows the organization role of each row and never a secret', async () => {
    const page = await listUsers(admin(), { q: developer.email })
    expect(page.rows).toEqual([expect.objectContaining({ key: developer.userKey, organizationRole: 'Developer', status: 'Active', isMember: true })])
    expect(Object.keys(page.rows[0]).sort()).toEqual(['createdAt', 'email', 'isEndUser', 'isInternal', 'isMember', 'key', 'lastLoginAt', 'name', 'organizationRole', 'status'])
    expect((await listUsers(admin(), { q: ADMIN.email })).rows[0].organizationRole).toBe('Administrator')
  })

  it('tolerates unknown sorts, filters, page sizes and mangled cursors from the URL', async () => {
    const fallback = await listUsers(admin(), { q: 'pager', sort: 'password_hash', dir: 'sideways', status: 'Deleted', kind: 'robot', perPage: 10 })
    expect(keysOf(fallback.rows)).toEqual(expectedOrder(seeded, 'name', 'asc').slice(0, 10))
    expect((await listUsers(admin(), { q: 'pager', perPage: 1 })).rows).toHaveLength(10)
    expect((await listUsers(admin(), { perPage: 5000 })).rows.length).toBeLessThanOrEqual(100)
    const mangled = await listUsers(admin(), { q: 'pager', perPage: 10, after: 'not-a-cursor' })
    expect(keysOf(mangled.rows)).toEqual(keysOf(fallback.rows))
    await expect(listUsers(admin(), { q: 'x'.repeat(101) })).rejects.toMatchObject({ fieldErrors: { q: expect.any(Array) } })
  })

  it('shows a Developer only the users their role lets them see: members and end-users, not the others', async () => {
    // Developer holds users.view_members everywhere and endusers.view in DEV (db/seed/permissions.json), not users.manage.
    // The seeded end-users hold no role in DEV, so only the members show (SPEC §12; see get-user's test for DEV end-users).
    const page = await listUsers(developer.ctx(), { q: 'pager', perPage: 100 })
    const visible = seeded.filter((u) => u.isMember)
    expect(visible.length).toBeLessThan(seeded.length)
    expect(new Set(keysOf(page.rows))).toEqual(new Set(visible.map((u) => u.key)))
    expect(page.total).toBe(visible.length)
    expect((await listUsers(developer.ctx(), { q: 'promo' })).rows).toEqual([])
  })

  it('shows a member who may only view members nothing but members, and refuses one who may see no users', async () => {
    await createRole('Member viewer', [{ slug: 'users.view_members' }])
    await createRole('Auditor', [{ slug: 'org.view_audit' }])
    const viewer = await createMember(admin(), { role: 'Member viewer' })
    const auditor = await createMember(admin(), { role: 'Auditor' })
    const page = await listUsers(viewer.ctx(), { q: 'pager', perPage: 100 })
    expect(new Set(keysOf(page.rows))).toEqual(new Set(seeded.filter((u) => u.isMember).map((u) => u.key)))
    await expect(listUsers(auditor.ctx(), {})).rejects.toBeInstanceOf(ForbiddenError)
  })
})
