import 'server-only'
import { and, sql, type SQL } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { userSearchDomainWords, userSearchPostings, userSearchWords, users, type UserStatus } from '@/db/schema'
import { escapeLike } from '../validation'
import type { UserRow } from './list-users'

/**
 * How far a search walks the sort order before it gives up and asks the trigram index. Mutable only
 * so that tests can shrink the windows to a few rows and cross their boundaries with little data.
 * Measured at 1 M users (bench/README.md): the trigram plan costs ~2.3 µs a match, one heap visit
 * each; walking the covering name index costs ~0.16 µs a row, and walking any other sort index
 * (or the name index with a filter on other columns) about as much as the trigram plan, per row.
 *
 * - `firstWindow`: rows walked to learn whether the term occurs at the start of the order at all.
 *   With no match there the term is rare or sits further on ("zoë" by name): the trigram plan is
 *   then cheap, or at least bounded by its matches, whereas walking on would cost the whole walk.
 * - `longestWalk`: the most rows walked index-only when the first window's density says a page of
 *   matches is that near (16,000 rows cost ~3 ms); otherwise the word index, or the trigram plan,
 *   answers.
 * - `longestHeapWalk`: the same for walks that visit the heap: failing there costs as much as the
 *   trigram plan itself.
 * - `mostWords`: the most words of the word index (db/schema/user-search.ts) read for one page of
 *   the name or email order, each an index range of at most a page. A term inside more words than that is
 *   common enough for the walk.
 * - `filteredPostingsPerRow`: with a filter, each word reads at most this many postings per row of
 *   the page: 20 lets filters passing one user in 20 or more answer from the word index, and leaves
 *   rarer ones to the trigram plan, which intersects the filter's own index.
 */
export const searchWindows = { firstWindow: 1_000, longestWalk: 16_000, longestHeapWalk: 8_000, mostWords: 100, filteredPostingsPerRow: 20 }

export type SearchPlan = 'walk' | 'words' | 'longer walk' | 'trigram'

/** When set, each search appends the plan that answered it: for tests and benchmarks. */
export const searchTrace: { plans: SearchPlan[] | null } = { plans: null }
const answeredBy = (plan: SearchPlan) => searchTrace.plans?.push(plan)

/**
 * A term the word index can answer: lower-case word characters only, as migration 0013 cuts words
 * (no ASCII digit, punctuation, space or control character). Such a term occurs in a user's search
 * text only inside one of their words, and it holds no LIKE wildcard.
 */
const WORD_TERM = /^[^\u0000-\u0060\u007b-\u007f]+$/u

/** Where a page starts: the sort value and key of the row before it, as the users list's cursor. */
export type SearchCursor = [string | null, string]

export type SearchInput = {
  /** Visibility and list filters on `users`, or undefined for none. */
  filters: SQL | undefined
  /** The cursor as a condition on `expr` and the key; `cursor` is the same as values. */
  keyset: SQL | undefined
  cursor: SearchCursor | undefined
  term: string
  expr: SQL
  ascending: boolean
  limit: number
  /** `expr` is the name order: its covering index can serve the walk. */
  byName: boolean
  /** `expr` is an order the word index keeps (name or email): it can serve the search. */
  wordOrder: 'name' | 'email' | undefined
  /**
   * `filters` read only columns of `users`, all of which the name order's index carries (migration
   * 0014): walking that order then stays in the index.
   */
  filtersOnUsers: boolean
}

export type Fetched = Omit<UserRow, 'organizationRole'> & { sortValue: string | null }

function fromRaw(r: Record<string, unknown>): Fetched {
  return {
    key: r.key as string,
    name: r.name as string,
    email: r.email as string | null,
    status: r.status as UserStatus,
    isMember: r.is_member as boolean,
    isEndUser: r.is_end_user as boolean,
    isInternal: r.is_internal as boolean,
    lastLoginAt: r.last_login_at ? new Date(r.last_login_at as string) : null,
    createdAt: new Date(r.created_at as string),
    sortValue: r.sort_value as string | null,
  }
}

/**
 * Substring search in a chosen order, with three plans. A common term is found by walking the sort
 * index until a page of matches is found. In the name and email orders, a term that is not common
 * at the start of the order is read from the word index, where each word's users are already in
 * that order. Otherwise it is found through the trigram index, and its matches sorted. Each plan has
 * its slow case: walking crawls the whole index for a rare term that sorts late ("zoë" by name),
 * the word index reads a range per word containing the term, and the trigram plan sorts every
 * match: a hundred thousand for a common term, seven thousand for a first name.
 *
 * Every plan first picks the page's keys and sort keys only, then reads the page's rows by key: a
 * walk of the name order then touches nothing but the covering index (users_name_sort_idx
 * INCLUDEs name, search_text and the filtered columns), and the trigram plan sorts narrow rows.
 * A filter beyond users' own columns (end-users seen only where a limited grant reaches) sends the
 * walk to the table, and a filtered read of the word index checks each candidate's row.
 */
export async function searchPage(tx: Tx, input: SearchInput): Promise<Fetched[]> {
  const { filters, keyset, cursor, term, expr, ascending, limit, byName, wordOrder, filtersOnUsers } = input
  const indexOnlyWalk = byName && (!filters || filtersOnUsers)
  const like = `%${escapeLike(term.toLowerCase())}%`
  const dir = ascending ? sql`asc` : sql`desc`
  const scope = and(filters, keyset) ?? sql`true`
  const page = async (picked: SQL) => {
    const result = await tx.execute(sql`
      select ${users.key} as key, ${users.name} as name, ${users.email} as email, ${users.status} as status, ${users.isMember} as is_member, ${users.isInternal} as is_internal,
        ${users.isEndUser} as is_end_user, ${users.lastLoginAt} as last_login_at, ${users.createdAt} as created_at, p.sort_key::text as sort_value
      from (${picked}) p join ${users} on ${users.key} = p.key
      order by p.sort_key ${dir}, p.key ${dir}`)
    return (result.rows as Array<Record<string, unknown>>).map(fromRaw)
  }
  const walk = async (window: number) => {
    // No MATERIALIZED and no count over the window: the planner keeps the index order through the
    // subquery, so the scan stops at the page's last match instead of reading the whole window.
    const rows = await page(sql`
      select key, sort_key from (
        select ${users.key} as key, ${expr} as sort_key, ${users.searchText} as search_text from ${users}
        where ${scope} order by ${expr} ${dir}, ${users.key} ${dir} limit ${window}
      ) win where search_text like ${like} order by sort_key ${dir}, key ${dir} limit ${limit}`)
    if (rows.length >= limit) return { rows, exhausted: false }
    // A short page is the whole answer only if the walk ran out of rows rather than out of window.
    const { rows: counted } = await tx.execute(sql`select count(*)::int as n from (select 1 from ${users} where ${scope} limit ${window}) w`)
    return { rows, exhausted: (counted[0] as { n: number }).n < window }
  }
  // The users of each word containing the term, a page at most per word from where the page starts,
  // merged, in the name or email order (the word index keeps both). A user in several such words
  // counts once; null when the word index cannot answer.
  const byWords = async (order: 'name' | 'email'): Promise<Fetched[] | null> => {
    const lowered = term.toLowerCase()
    if (!WORD_TERM.test(lowered)) return null
    const inWords = `%${lowered}%`
    const { rows } = await tx.execute(sql`
      select exists (select 1 from ${userSearchDomainWords} where ${userSearchDomainWords.word} like ${inWords}) as in_domain,
        array(select ${userSearchWords.word} from ${userSearchWords} where ${userSearchWords.word} like ${inWords} limit ${searchWindows.mostWords + 1}) as words`)
    const { in_domain: inDomain, words } = rows[0] as { in_domain: boolean; words: string[] }
    // A term inside a domain's word also matches users through their email domain, which has no postings.
    if (inDomain || words.length > searchWindows.mostWords) return null
    if (words.length === 0) return []
    const p = userSearchPostings
    const orderKey = order === 'name' ? p.sortKey : p.emailKey
    const from = cursor ? (ascending ? sql`and (${orderKey}, ${p.userKey}) > (${cursor[0]}, ${cursor[1]}::uuid)` : sql`and (${orderKey}, ${p.userKey}) < (${cursor[0]}, ${cursor[1]}::uuid)`) : sql``
    const postings = (extra: SQL) =>
      sql`select ${p.userKey} as user_key, ${orderKey} as sort_key, ${p.sortKey} as name_key from ${p} where ${p.word} = w.word ${from} order by ${orderKey} ${dir}, ${p.userKey} ${dir} ${extra}`
    const perWord = sql`from unnest(${sql.param(words)}::text[]) w(word)`
    if (!filters)
      return page(sql`
        select distinct key, sort_key from (
          select h.user_key as key, h.sort_key ${perWord} cross join lateral (${postings(sql`limit ${limit}`)}) h
        ) m order by sort_key ${dir}, key ${dir} limit ${limit}`)
    // Filtered, each candidate's row is checked in the name index (it carries the filtered columns),
    // and each word reads at most `cap` postings: a rare filter would otherwise read every user of
    // a common name one by one, where the trigram plan intersects the filter's index instead. A
    // word cut short before a page of its users passed bounds what is known; past that bound the
    // answer is left to the other plans.
    const cap = limit * searchWindows.filteredPostingsPerRow
    const beyond = ascending ? sql`>` : sql`<`
    const { rows: found } = await tx.execute(sql`
      with h as (
        select w.word, c.user_key as key, c.sort_key ${perWord} cross join lateral (
          select c.user_key, c.sort_key from (${postings(sql`limit ${cap}`)}) c
          where (select true from ${users} where lower(${users.name}) = c.name_key and ${users.key} = c.user_key and ${filters})
          order by c.sort_key ${dir}, c.user_key ${dir} limit ${limit}
        ) c
      ),
      cut as (
        select e.sort_key, e.user_key ${perWord} cross join lateral (${postings(sql`offset ${cap - 1} limit 1`)}) e
        where (select count(*) from h where h.word = w.word) < ${limit}
      ),
      picked as (
        select distinct key, sort_key from h where not exists (select 1 from cut where (h.sort_key, h.key) ${beyond} (cut.sort_key, cut.user_key))
        order by sort_key ${dir}, key ${dir} limit ${limit}
      )
      select exists (select 1 from cut) as cut_short,
        array(select key::text from picked order by sort_key ${dir}, key ${dir}) as keys,
        array(select sort_key from picked order by sort_key ${dir}, key ${dir}) as sort_keys`)
    const { cut_short: cutShort, keys, sort_keys: sortKeys } = found[0] as { cut_short: boolean; keys: string[]; sort_keys: string[] }
    if (keys.length < limit && cutShort) return null
    if (keys.length === 0) return []
    return page(sql`select * from unnest(${sql.param(keys)}::uuid[], ${sql.param(sortKeys)}::text[]) as k(key, sort_key)`)
  }
  const { firstWindow, longestWalk, longestHeapWalk } = searchWindows
  const first = await walk(firstWindow)
  if (first.rows.length >= limit || first.exhausted) {
    answeredBy('walk')
    return first.rows
  }
  // How far the first window's density says a page of matches is, with a margin.
  const needed = first.rows.length > 0 ? Math.ceil(((limit * firstWindow) / first.rows.length) * 1.3) : Infinity
  const walkOn = async (window: number) => {
    const longer = await walk(window)
    if (longer.rows.length < limit && !longer.exhausted) return null
    answeredBy('longer walk')
    return longer.rows
  }
  if (indexOnlyWalk && needed <= longestWalk) {
    const found = await walkOn(needed)
    if (found) return found
  }
  if (wordOrder) {
    const found = await byWords(wordOrder)
    if (found) {
      answeredBy('words')
      return found
    }
  }
  if (!indexOnlyWalk && needed <= longestHeapWalk) {
    const found = await walkOn(needed)
    if (found) return found
  }
  // OFFSET 0 keeps the planner from walking the sort index again: it filters first (by trigram),
  // then sorts only the matches.
  answeredBy('trigram')
  return page(sql`
    select key, sort_key from (
      select ${users.key} as key, ${expr} as sort_key from ${users} where ${scope} and ${users.searchText} like ${like} offset 0
    ) m order by sort_key ${dir}, key ${dir} limit ${limit}`)
}
