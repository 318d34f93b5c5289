import 'server-only'
import { and, sql, type SQL } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { users, type UserStatus } from '@/db/schema'
import { escapeLike } from '../validation'
import type { UserRow } from './list-users'

// The first window of rows, in the requested order, scanned for matches; it also measures how
// dense the term is. Walking costs about as much per row as the trigram plan costs per match, so
// a longer walk pays only while it stays short of the matches the trigram plan would sort:
// around 8 000 rows at a million users, where both cost about the target page time.
const FIRST_WINDOW = 1_000
const LONGEST_WALK = 8_000

export type Fetched = Omit<UserRow, 'organizationRole'> & { sortValue: string | null }

function fromRaw(r: Record<string, unknown>): Fetched {
  return {
    key: r.key as string,
    name: r.name as string,
    email: r.email as string | null,
    status: r.status as UserStatus,
    isMember: r.is_member as boolean,
    isEndUser: r.is_end_user as boolean,
    lastLoginAt: r.last_login_at ? new Date(r.last_login_at as string) : null,
    createdAt: new Date(r.created_at as string),
    sortValue: r.sort_value as string | null,
  }
}

/**
 * Substring search in a chosen order, with two plans. A common term is found by walking the sort
 * index: a window of the next rows in order holds a page of matches (a longer window when the
 * first one shows matches are sparse). When even that is not enough, the term is rare there, and
 * the trigram index finds the matches to sort. Either plan alone has
 * a slow case: walking crawls the whole index for a rare term that sorts late ("zoë" by name),
 * and the trigram index sorts a hundred thousand matches of a common term.
 */
export async function searchPage(tx: Tx, filters: SQL | undefined, keyset: SQL | undefined, term: string, expr: SQL, ascending: boolean, limit: number): Promise<Fetched[]> {
  const like = `%${escapeLike(term.toLowerCase())}%`
  const dir = ascending ? sql`asc` : sql`desc`
  const scope = and(filters, keyset) ?? sql`true`
  const select = sql`key, name, email, status, is_member, is_end_user, last_login_at, created_at, search_text, (${expr})::text as sort_value, ${expr} as sort_key`
  const walk = async (window: number) => {
    const result = await tx.execute(sql`
      with win as materialized (select ${select} from ${users} where ${scope} order by ${expr} ${dir}, key ${dir} limit ${window})
      select *, (select count(*) from win)::int as walked from win where search_text like ${like}
      order by sort_key ${dir}, key ${dir} limit ${limit}`)
    const rows = result.rows as Array<Record<string, unknown>>
    const walked = Number(rows[0]?.walked ?? (await tx.execute(sql`select count(*)::int as n from (select 1 from ${users} where ${scope} limit ${window}) w`)).rows[0].n)
    return { rows, exhausted: walked < window }
  }
  let { rows, exhausted } = await walk(FIRST_WINDOW)
  if (rows.length >= limit || exhausted) return rows.map(fromRaw)
  if (rows.length > 0) {
    // Matches are there but sparse: walk as far as their density says a page needs, if that is cheap.
    const needed = Math.ceil(((limit * FIRST_WINDOW) / rows.length) * 1.3)
    if (needed <= LONGEST_WALK) {
      ;({ rows, exhausted } = await walk(needed))
      if (rows.length >= limit || exhausted) return rows.map(fromRaw)
    }
  }
  // OFFSET 0 keeps the planner from walking the sort index again: it filters first (by trigram),
  // then sorts only the matches.
  const found = await tx.execute(sql`
    select * from (select ${select} from ${users} where ${scope} and search_text like ${like} offset 0) m
    order by sort_key ${dir}, key ${dir} limit ${limit}`)
  return (found.rows as Array<Record<string, unknown>>).map(fromRaw)
}
