import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eq, sql } from 'drizzle-orm'
import { getDb } from '@/db/client'
import { users, type UserStatus } from '@/db/schema'
import { systemCtx } from '@/lib/context'
import { insertUsers } from '@/test/factories'
import { useTestDatabase } from '@/test/harness'
import { listUsers, type UserPage } from './list-users'
import { USER_SORTS, type UserSort } from './schemas'
import { searchTrace, searchWindows, type SearchPlan } from './search-page'

// The search switches plans at window boundaries (a first window, the word index, a longer walk,
// the trigram fallback). Shrunk windows let a few hundred rows cross every boundary, on every page;
// each mode below takes the word index for every term it can answer, for terms inside one word
// only, or never.
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
      i >= ROWS - 10 ? 'qlast' : '', // clustered at the end, and inside the domain "qlastmail.test" of rows all over
      i % 7 === 0 ? 'qmidway' : '', // a second word containing "qmid", on some of the same rows
      i >= ROWS - 30 ? (i % 3 === 0 ? 'qtail qtailend' : 'qtailend') : '', // two words containing "qtail", late
      i >= ROWS - 60 && i % 2 === 1 ? 'Zoë' : '', // a first name sorting late, with a non-ASCII letter
    ].filter(Boolean)
    return {
      name: `Sw ${String(Math.floor(i / 3) * 3).padStart(3, '0')} ${tags.join(' ')}`.trim(),
      email: i % 11 === 0 ? null : `u${(i * 7919) % ROWS}${i % 13 === 0 ? '.qmail' : ''}@${i % 17 === 0 ? 'qlastmail' : 'sw'}.test`,
      status: STATUSES[i % 4],
      lastLoginAt: i % 6 === 0 ? null : new Date(BASE + ((i * 31) % 97) * 60_000),
      createdAt: new Date(BASE - ((i * 17) % 53) * 1_000),
    }
  })
}

// Whole words, parts of words, terms inside two words ("qmid", "qmidway"; "qtail", "qtailend"), words of email domains
// ("qlast" is also inside "qlastmail", "test" only there), terms spanning punctuation or holding
// digits, upper case.
const TERMS = ['qdense', 'qhalf', 'qmid', 'qthin', 'qlate', 'qearly', 'qmail', 'qabsent', 'ense', 'zoë', 'ZOË', 'qtail', 'qlast', 'test', 'u12', '.qmail@', 'qthin qlate']

// How many words a term may be inside, and how many postings a filtered read takes per row.
const MODES = {
  'every term it can answer': { mostWords: 100, filteredPostingsPerRow: 20 },
  'every term it can answer, cutting filtered reads short': { mostWords: 100, filteredPostingsPerRow: 1 },
  'terms inside one word': { mostWords: 1, filteredPostingsPerRow: 20 },
  never: { mostWords: 0, filteredPostingsPerRow: 20 },
}

async function naive(term: string, sort: UserSort, dir: 'asc' | 'desc', status?: UserStatus): Promise<string[]> {
  const db = await getDb()
  const expr = sortSql[sort]
  const { rows } = await db.execute(
    sql`select key from users where lower(name || ' ' || coalesce(email, '')) like ${`%${term.toLowerCase()}%`} and (${status ?? null}::user_status is null or status = ${status ?? null}::user_status)
        order by ${sql.raw(`${expr} ${dir}, key ${dir}`)}`,
  )
  return (rows as { key: string }[]).map((r) => r.key)
}

describe.each(Object.entries(MODES))('search pages across window boundaries, taking the word index for %s', (_, mode) => {
  const { mostWords } = mode
  useTestDatabase()
  const saved = { ...searchWindows }

  beforeAll(async () => {
    Object.assign(searchWindows, { firstWindow: FIRST_WINDOW, longestWalk: LONGEST_WALK, longestHeapWalk: LONGEST_WALK, ...mode })
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
    for (const term of ['qhalf', 'qmid', 'qthin', 'qlate', 'zoë', 'qtail'])
      for (const dir of ['asc', 'desc'] as const) {
        const expected = await naive(term, 'name', dir, 'Invited')
        const { forward } = await pages({ q: term, sort: 'name', dir, perPage: 10, status: 'Invited' })
        expect(forward.flatMap(keysOf), `${term} ${dir}`).toEqual(expected)
      }
  })

  it('reads the word index in the email order too, and never in the others', async () => {
    const used: Partial<Record<UserSort, SearchPlan[]>> = {}
    try {
      for (const sort of USER_SORTS) {
        searchTrace.plans = used[sort] = []
        await listUsers(systemCtx(), { q: 'qlate', sort, perPage: 10 })
      }
    } finally {
      searchTrace.plans = null
    }
    const sorts = USER_SORTS.filter((sort) => used[sort]!.includes('words'))
    expect(sorts).toEqual(mostWords > 0 ? ['name', 'email'] : [])
  })

  it('answers a filtered search from the word index unless its reads were cut short', async () => {
    // A quarter of the rows are Invited: 20 postings a row find a page, 1 posting a row does not.
    searchTrace.plans = []
    try {
      await listUsers(systemCtx(), { q: 'qlate', perPage: 10, status: 'Invited' })
      expect(searchTrace.plans.includes('words')).toBe(mostWords > 0 && mode.filteredPostingsPerRow === 20)
    } finally {
      searchTrace.plans = null
    }
  })

  it('reads the word index only for terms it answers exactly', async () => {
    const plans: Record<string, SearchPlan[]> = {}
    try {
      for (const term of ['qlate', 'qtail', 'zoë', 'qlast', '.qmail@']) {
        searchTrace.plans = plans[term] = []
        await listUsers(systemCtx(), { q: term, perPage: 10 })
      }
    } finally {
      searchTrace.plans = null
    }
    const usedWords = Object.entries(plans).flatMap(([term, used]) => (used.includes('words') ? [term] : []))
    // "qtail" is inside two words ("qtail", "qtailend"); "qlast" also inside a domain; ".qmail@" spans punctuation.
    expect(usedWords).toEqual(mostWords >= 2 ? ['qlate', 'qtail', 'zoë'] : mostWords === 1 ? ['qlate', 'zoë'] : [])
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

// The rule of migration 0013, written again: runs of characters that are not ASCII digits,
// punctuation, spaces or control characters, in the lower-cased name and email local part.
const wordsOf = (text: string) => [...new Set(text.toLowerCase().split(/[\u0000-\u0060\u007b-\u007f]+/u).filter(Boolean))]

describe('the word index of the users search', () => {
  useTestDatabase()

  async function indexed() {
    const db = await getDb()
    const { rows } = await db.execute(sql`select word, sort_key, user_key::text, email_key from user_search_postings order by 1, 2, 3`)
    return rows.map((r) => Object.values(r).join(' | '))
  }
  async function expected() {
    const db = await getDb()
    const all = await db.select({ key: users.key, name: users.name, email: users.email }).from(users)
    return all
      .flatMap((u) => wordsOf(`${u.name} ${(u.email ?? '').replace(/@[^@]*$/, '')}`).map((w) => [w, u.name.toLowerCase(), u.key, (u.email ?? '').toLowerCase()].join(' | ')))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  }
  async function listed(table: 'user_search_words' | 'user_search_domain_words') {
    const db = await getDb()
    const { rows } = await db.execute(sql`select word from ${sql.identifier(table)}`)
    return rows.map((r) => r.word as string)
  }

  it('follows every insert, rename, email change and delete, in the same transaction', async () => {
    const db = await getDb()
    const [zoe, sean, ana] = await insertUsers([
      { name: 'Zoë Adams-Smith', email: 'zoe.adams12@Example.com' },
      { name: "Seán O'Brien", email: null },
      { name: 'Ana', email: 'ana+x@mail.ana-test.io' },
    ])
    expect(await indexed()).toEqual(await expected())
    expect(await indexed()).toContain(`zoë | zoë adams-smith | ${zoe} | zoe.adams12@example.com`)
    expect(await listed('user_search_words')).toEqual(expect.arrayContaining(['zoë', 'adams', 'smith', 'zoe', 'seán', 'o', 'brien', 'ana', 'x']))
    expect(await listed('user_search_domain_words')).toEqual(expect.arrayContaining(['example', 'com', 'mail', 'ana', 'test', 'io']))

    await db.update(users).set({ name: 'Zoë Baker' }).where(eq(users.key, zoe))
    await db.update(users).set({ email: 'sean.obrien@example.com' }).where(eq(users.key, sean))
    await db.update(users).set({ email: null }).where(eq(users.key, ana))
    expect(await indexed()).toEqual(await expected())
    expect((await indexed()).some((row) => row.startsWith('smith |'))).toBe(false)

    const before = await indexed()
    await db.update(users).set({ lastLoginAt: new Date(), status: 'Inactive' }).where(eq(users.key, zoe))
    expect(await indexed()).toEqual(before)

    await expect(
      db.transaction(async (tx) => {
        await tx.update(users).set({ name: 'Rolled Back' }).where(eq(users.key, zoe))
        throw new Error('roll back')
      }),
    ).rejects.toThrow('roll back')
    expect(await indexed()).toEqual(before)

    await db.delete(users).where(eq(users.key, zoe))
    expect(await indexed()).toEqual(await expected())
    expect((await indexed()).some((row) => row.includes(zoe))).toBe(false)
  })

  it('finds a renamed user by the new name and no longer by the old one', async () => {
    const db = await getDb()
    const [key] = await insertUsers([{ name: 'Quentin Wordsworth', email: null }])
    const saved = { ...searchWindows }
    // A one-row first window leaves every term to the word index.
    Object.assign(searchWindows, { firstWindow: 1 })
    searchTrace.plans = []
    try {
      const find = async (q: string) => (await listUsers(systemCtx(), { q })).rows.map((r) => r.key)
      expect(await find('wordsworth')).toEqual([key])
      await db.update(users).set({ name: 'Quentin Longfellow' }).where(eq(users.key, key))
      expect(await find('wordsworth')).toEqual([])
      expect(await find('longfellow')).toEqual([key])
      expect(searchTrace.plans).toEqual(['words', 'words', 'words'])
    } finally {
      searchTrace.plans = null
      Object.assign(searchWindows, saved)
    }
  })
})
