import 'server-only'
import { asc, desc, sql, type AnyColumn, type SQL } from 'drizzle-orm'

/** A keyset position: the sort value (as text) and the row key that breaks ties. */
export type Cursor = [string, string]

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url')

export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (!raw) return undefined
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string' && /^[0-9a-f-]{36}$/i.test(value[1])) return value as Cursor
  } catch {
    // a mangled cursor restarts from the first page
  }
  return undefined
}

/**
 * Keyset paging in ascending `(expr, key)` order (`key` a uuid column), walking backwards from
 * `before` when it is given without `after`. A cursor that does not decode restarts from the first
 * page. Returns the where-clause, the order and how to turn the fetched rows (one more than a page)
 * into the page and the neighbours' cursors.
 */
export function keysetPage(expr: SQL, key: AnyColumn, input: { after?: string; before?: string }) {
  const before = input.after ? undefined : decodeCursor(input.before)
  const cursor = before ?? decodeCursor(input.after)
  const backwards = before !== undefined
  const where = cursor ? (backwards ? sql`(${expr}, ${key}) < (${cursor[0]}, ${cursor[1]}::uuid)` : sql`(${expr}, ${key}) > (${cursor[0]}, ${cursor[1]}::uuid)`) : undefined
  const orderBy = backwards ? [desc(expr), desc(key)] : [asc(expr), asc(key)]
  function finish<R extends { key: string; sortValue: string }>(fetched: R[], perPage: number) {
    const hasMore = fetched.length > perPage
    const page = fetched.slice(0, perPage)
    if (backwards) page.reverse()
    const atStart = backwards ? !hasMore : !cursor
    const atEnd = backwards ? false : !hasMore
    const first = page[0]
    const last = page[page.length - 1]
    return {
      rows: page,
      next: !atEnd && last ? encodeCursor([last.sortValue, last.key]) : null,
      previous: !atStart && first ? encodeCursor([first.sortValue, first.key]) : null,
    }
  }
  return { where, orderBy, finish }
}
