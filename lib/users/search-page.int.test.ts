import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { getDb } from '@/db/client'
import type { UserStatus } from '@/db/schema'
import { systemCtx } from '@/lib/context'
import { insertUsers } from '@/test/factories'
import { useTestDatabase } from '@/test/harness'
import { listUsers, type UserPage } from './list-users'
import { USER_SORTS, type UserSort } from './schemas'
import { searchWindows } from './search-page'

// The search switches plans at window boundaries (a first window, a longer walk, the trigram
// fallback). Shrunk windows let a few hundred rows cross every boundary, on every page.
const FIRST_WINDOW = 12
const LONGEST_WALK = 60
const ROWS = 420

// Must match sortExpressions in list-users.ts.
const sortSql: Record<UserSort, string> = {
  name: 'lower(name)',
  email: `lower(coalesce(email, ''))`,
  status: 'status',
  lastLogin: `coalesce(last_login_at, '-infinity'::timestamptz)`,
  created: 'created_at',
}

const STATUSES: UserStatus[] = ['Active', 'Invited', 'PendingRegistration', 'Inactive']
const BASE = Date.parse('2024-05-01T00:00:00Z')

// Rows in one name order (`Sw 000`…), with every third name repeated so that the key must break
// ties, and terms spread differently over that order.
function rows() {
  return Array.from({ length: ROWS }, (_, i) => {
    const tags = [
      i % 8 !== 0 ? 'qdense' : '', // most rows: the first window often fills the page
      i % 2 === 0 ? 'qhalf' : '', // every other row: the longer walk fills the page
      i % 5 === 0 ? 'qmid' : '', // a few per first window: the longer walk fills the page or falls short
      i % 37 === 0 ? 'qthin' : '', // about one per first window: the walk gives up, the trigram plan answers
      i >= ROWS - 45 ? 'qlate' : '', // clustered at the end of the name order: none in the first window
      i < 15 ? 'qearly' : '', // clustered at the start: the first page fills at once, the second one falls short
    ].filter(Boolean)
    return {
      name: `Sw ${String(Math.floor(i / 3) * 3).padStart(3, '0')} ${tags.join(' ')}`.trim(),
      email: i % 11 === 0 ? null : `u${(i * 7919) % ROWS}${i % 13 === 0 ? '.qmail' : ''}@sw.test`,
      status: STATUSES[i % 4],
      lastLoginAt: i % 6 === 0 ? null : new Date(BASE + ((i * 31) % 97) * 60_000),
      createdAt: new Date(BASE - ((i * 17) % 53) * 1_000),
    }
  })
}

const TERMS = ['qdense', 'qhalf', 'qmid', 'qthin', 'qlate', 'qearly', 'qmail', 'qabsent']

async function naive(term: string, sort: UserSort, dir: 'asc' | 'desc', status?: UserStatus): Promise<string[]> {
  const db = await getDb()
  const expr = sortSql[sort]
  const { rows } = await db.execute(
    sql`select key from users where lower(name || ' ' || coalesce(email, '')) like ${`%${term}%`} and (${status ?? null}::user_status is null or status = ${status ?? null}::user_status)
        order by ${sql.raw(`${expr} ${dir}, key ${dir}`)}`,
  )
  return (rows as { key: string }[]).map((r) => r.key)
}

describe('search pages across window boundaries', () => {
  useTestDatabase()
  const saved = { ...searchWindows }

  beforeAll(async () => {
    Object.assign(searchWindows, { firstWindow: FIRST_WINDOW, longestWalk: LONGEST_WALK, longestHeapWalk: LONGEST_WALK })
    await insertUsers(rows())
  })
  afterAll(() => {
    Object.assign(searchWindows, saved)
  })

  const keysOf = (page: UserPage) => page.rows.map((r) => r.key)

  async function pages(input: Record<string, unknown>) {
    const forward = [await listUsers(systemCtx(), input)]
    while (forward.at(-1)!.next) forward.push(await listUsers(systemCtx(), { ...input, after: forward.at(-1)!.next }))
    const backward = [forward.at(-1)!]
    while (backward.at(-1)!.previous) backward.push(await listUsers(systemCtx(), { ...input, before: backward.at(-1)!.previous }))
    return { forward, backward }
  }

  it.each(TERMS)('returns exactly the naive filter-and-sort result for %s, page by page, both ways, in every sort', async (term) => {
    for (const sort of USER_SORTS)
      for (const dir of ['asc', 'desc'] as const) {
        const label = `${sort} ${dir}`
        const expected = await naive(term, sort, dir)
        const { forward, backward } = await pages({ q: term, sort, dir, perPage: 10 })
        expect(forward.flatMap(keysOf), label).toEqual(expected)
        // Full pages until the last one: no page comes back short because a window ran out.
        expect(forward.slice(0, -1).every((p) => p.rows.length === 10), label).toBe(true)
        expect(backward.map(keysOf), label).toEqual(forward.map(keysOf).reverse())
      }
  })

  it('stays exact with a filter narrowing the rows the windows walk', async () => {
    for (const term of ['qhalf', 'qmid', 'qthin', 'qlate'])
      for (const dir of ['asc', 'desc'] as const) {
        const expected = await naive(term, 'name', dir, 'Invited')
        const { forward } = await pages({ q: term, sort: 'name', dir, perPage: 10, status: 'Invited' })
        expect(forward.flatMap(keysOf), `${term} ${dir}`).toEqual(expected)
      }
  })

  it('says a term has no matches, and counts a result that fits on the first page', async () => {
    const none = await listUsers(systemCtx(), { q: 'qabsent' })
    expect(none.rows).toEqual([])
    expect(none.total).toBe(0)
    const late = await listUsers(systemCtx(), { q: 'qlate', perPage: 50 })
    expect(late.rows).toHaveLength(45)
    expect(late.total).toBe(45)
    expect(late.next).toBeNull()
  })
})
