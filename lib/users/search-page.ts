import 'server-only'
import { and, sql, type SQL } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { users, type UserStatus } from '@/db/schema'
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
 * - `longestWalk`: the most rows walked index-only once the first window showed a match. The walk
 *   stops at the page's last match, so the cap only matters when matches thin out: failing costs
 *   ~3 ms, and a term that thin costs the trigram plan little more than walking further would.
 * - `longestHeapWalk`: the same for walks that visit the heap, taken only when the first window's
 *   density says a page is that near: failing there costs as much as the trigram plan itself.
 */
export const searchWindows = { firstWindow: 1_000, longestWalk: 16_000, longestHeapWalk: 8_000 }

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
 * Substring search in a chosen order, with two plans. A common term is found by walking the sort
 * index until a page of matches is found. A term that is rare at the start of the order is found
 * through the trigram index, and its matches sorted. Either plan alone has a slow case: walking
 * crawls the whole index for a rare term that sorts late ("zoë" by name), and the trigram plan
 * sorts a hundred thousand matches of a common term.
 *
 * Both plans first pick the page's keys and sort keys only, then read the page's rows by key: a walk
 * of the name order then touches nothing but the covering index (users_name_sort_idx INCLUDEs
 * name and search_text), and the trigram plan sorts narrow rows. `coveringSort` says that `expr`
 * is that index's; a filter on other columns still sends the walk to the heap.
 */
export async function searchPage(tx: Tx, filters: SQL | undefined, keyset: SQL | undefined, term: string, expr: SQL, ascending: boolean, limit: number, coveringSort = false): Promise<Fetched[]> {
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
  const { firstWindow, longestWalk, longestHeapWalk } = searchWindows
  const first = await walk(firstWindow)
  if (first.rows.length >= limit || first.exhausted) return first.rows
  if (first.rows.length > 0) {
    // How far the first window's density says a page of matches is, with a margin.
    const needed = Math.ceil(((limit * firstWindow) / first.rows.length) * 1.3)
    const window = coveringSort && !filters ? longestWalk : needed <= longestHeapWalk ? needed : 0
    if (window > 0) {
      const longer = await walk(window)
      if (longer.rows.length >= limit || longer.exhausted) return longer.rows
    }
  }
  // OFFSET 0 keeps the planner from walking the sort index again: it filters first (by trigram),
  // then sorts only the matches.
  return page(sql`
    select key, sort_key from (
      select ${users.key} as key, ${expr} as sort_key from ${users} where ${scope} and ${users.searchText} like ${like} offset 0
    ) m order by sort_key ${dir}, key ${dir} limit ${limit}`)
}
