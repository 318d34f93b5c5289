import 'server-only'
import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { appRoleInstances, endUserRoleAssignments, groupMembers, groupRoles, roleAssignments, roles, users, type UserStatus } from '@/db/schema'
import { checkPermission, heldSomewhere, type Decision } from '../authz'
import { withTransaction, type Ctx } from '../context'
import { ForbiddenError } from '../errors'
import { parse } from '../validation'
import { listUsersSchema, type UserSort } from './schemas'
import { searchPage, type Fetched } from './search-page'

export type UserRow = {
  key: string
  name: string
  email: string | null
  status: UserStatus
  isMember: boolean
  isEndUser: boolean
  isInternal: boolean
  organizationRole: string | null
  lastLoginAt: Date | null
  createdAt: Date
}

export type UserPage = {
  rows: UserRow[]
  /** Cursors for the neighbouring pages, or null at either end. */
  next: string | null
  previous: string | null
  /**
   * Exact up to 10 000; beyond that `totalIsLowerBound` is set (counting a million rows per page
   * view is not free). Null while searching: counting every match of a common term would cost
   * more than the page itself.
   */
  total: number | null
  totalIsLowerBound: boolean
  /** Set when the search term was too short to search for and was ignored. */
  searchTooShort: boolean
}

const COUNT_CAP = 10_000
export const MIN_SEARCH_LENGTH = 3

// Each sort is an expression with a matching index (db/schema/users.ts); the key breaks ties.
export const sortExpressions: Record<UserSort, SQL> = {
  name: sql`lower(${users.name})`,
  email: sql`lower(coalesce(${users.email}, ''))`,
  status: sql`${users.status}`,
  lastLogin: sql`coalesce(${users.lastLoginAt}, '-infinity'::timestamptz)`,
  created: sql`${users.createdAt}`,
}

type Cursor = [string | null, string]

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url')
function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (!raw) return undefined
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
    if (Array.isArray(value) && value.length === 2 && typeof value[1] === 'string' && /^[0-9a-f-]{36}$/i.test(value[1])) return value as Cursor
  } catch {
    // a mangled cursor restarts from the first page
  }
  return undefined
}

/**
 * End-users holding a role where a limited "View end-users" grant reaches: in its stages, or in the
 * app (and stages) of an app-scope grant (SPEC §12).
 */
function endUsersIn(reach: Decision['nearMisses']): SQL {
  const places = reach
    .filter((m) => m.why === 'no-stage' || m.why === 'other-app')
    .map((m) => {
      const stagesOk = m.stageKeys === null ? sql`true` : sql`i.stage_key in (${sql.join(m.stageKeys.map((k) => sql`${k}::uuid`), sql`, `)})`
      return m.appKey === null ? stagesOk : sql`(i.app_key = ${m.appKey}::uuid and ${stagesOk})`
    })
  const where = places.length ? sql.join(places, sql` or `) : sql`false`
  return sql`(${users.isEndUser} and (
    exists (select 1 from ${endUserRoleAssignments} e join ${appRoleInstances} i on i.key = e.instance_key where e.user_key = ${users.key} and (${where}))
    or exists (select 1 from ${groupMembers} gm join ${groupRoles} gr on gr.group_key = gm.group_key join ${appRoleInstances} i on i.key = gr.instance_key where gm.user_key = ${users.key} and (${where}))
  ))`
}

/**
 * Which users the actor may see: users.manage sees all; otherwise members and/or end-users (also
 * the REST API's rule, API-40, in query-users.ts). Undefined = no restriction; throws 403 when none.
 */
export async function visibility(tx: Tx, ctx: Ctx): Promise<SQL | undefined> {
  return (await visibleUsers(tx, ctx)).where
}

/**
 * `visibility`, and whether its condition reads only columns of `users` (false when end-users are
 * visible only where a limited grant reaches, which looks at their roles).
 */
async function visibleUsers(tx: Tx, ctx: Ctx): Promise<{ where: SQL | undefined; onUsersOnly: boolean }> {
  const all = await checkPermission(tx, ctx, 'users.manage')
  if (all === 'system' || all.allowed) return { where: undefined, onUsersOnly: true }
  const members = await checkPermission(tx, ctx, 'users.view_members')
  const endUsers = await checkPermission(tx, ctx, 'endusers.view', {})
  const seesMembers = members !== 'system' && members.allowed
  const seesEndUsers = heldSomewhere(endUsers)
  const allEndUsers = endUsers === 'system' || endUsers.allowed
  const endUserFilter = allEndUsers ? eq(users.isEndUser, true) : endUsersIn(endUsers.nearMisses)
  if (seesMembers && seesEndUsers) return { where: sql`(${users.isMember} or ${endUserFilter})`, onUsersOnly: allEndUsers }
  if (seesMembers) return { where: eq(users.isMember, true), onUsersOnly: true }
  if (seesEndUsers) return { where: endUserFilter, onUsersOnly: allEndUsers }
  throw new ForbiddenError('You do not have permission to see users.', members === 'system' ? undefined : members.reason)
}

const columns = {
  key: users.key,
  name: users.name,
  email: users.email,
  status: users.status,
  isMember: users.isMember,
  isEndUser: users.isEndUser,
  isInternal: users.isInternal,
  lastLoginAt: users.lastLoginAt,
  createdAt: users.createdAt,
}

/**
 * The users list (UI-3): search, filters and every sort use keyset pagination over an index, so the
 * thousandth page costs what the first does.
 */
export async function listUsers(ctx: Ctx, input: unknown): Promise<UserPage> {
  const p = parse(listUsersSchema, input)
  const searchTooShort = p.q.length > 0 && [...p.q].length < MIN_SEARCH_LENGTH
  const term = searchTooShort ? '' : p.q
  return withTransaction(ctx, async (tx, ctx) => {
    const seen = await visibleUsers(tx, ctx)
    const filters: (SQL | undefined)[] = [seen.where]
    if (p.status) filters.push(eq(users.status, p.status))
    if (p.kind === 'member') filters.push(eq(users.isMember, true))
    if (p.kind === 'end-user' || p.class) filters.push(eq(users.isEndUser, true))
    if (p.class) filters.push(eq(users.isInternal, p.class === 'internal'))
    const where = and(...filters)

    const expr = sortExpressions[p.sort]
    const backwards = Boolean(p.before) && !p.after
    const cursor = decodeCursor(backwards ? p.before : p.after)
    // Walking backwards flips the order; the page is reversed again below.
    const ascending = (p.dir === 'asc') !== backwards
    const keyset = cursor ? (ascending ? sql`(${expr}, ${users.key}) > (${cursor[0]}, ${cursor[1]})` : sql`(${expr}, ${users.key}) < (${cursor[0]}, ${cursor[1]})`) : undefined
    const order = ascending ? [asc(expr), asc(users.key)] : [desc(expr), desc(users.key)]

    const fetched: Fetched[] = term
      ? await searchPage(tx, { filters: where, keyset, cursor, term, expr, ascending, limit: p.perPage + 1, byName: p.sort === 'name', wordOrder: p.sort === 'name' || p.sort === 'email' ? p.sort : undefined, filtersOnUsers: seen.onUsersOnly })
      : await tx
          .select({
            ...columns,
            // As text: a JavaScript Date would drop the microseconds that the keyset comparison needs.
            sortValue: sql<string | null>`(${expr})::text`,
          })
          .from(users)
          .where(and(where, keyset))
          .orderBy(...order)
          .limit(p.perPage + 1)
    const hasMore = fetched.length > p.perPage
    const page = fetched.slice(0, p.perPage)
    if (backwards) page.reverse()

    let total: number | null = null
    if (!term) {
      const [{ n }] = (await tx.execute(sql`select count(*)::int as n from (select 1 from ${users} where ${where ?? sql`true`} limit ${COUNT_CAP + 1}) capped`)).rows as [{ n: number }]
      total = n
    } else if (!cursor && !hasMore) {
      total = page.length // the whole result is on this first page
    }

    // Organization roles of the rows on this page, in one query (no N+1).
    const keys = page.map((r) => r.key)
    const orgRoles = keys.length
      ? await tx
          .select({ userKey: roleAssignments.userKey, name: roles.name })
          .from(roleAssignments)
          .innerJoin(roles, eq(roles.key, roleAssignments.roleKey))
          .where(and(inArray(roleAssignments.userKey, keys), isNull(roleAssignments.appKey)))
      : []
    const roleOf = new Map(orgRoles.map((r) => [r.userKey, r.name]))

    const first = page[0]
    const last = page[page.length - 1]
    const atStart = backwards ? !hasMore : !cursor
    const atEnd = backwards ? false : !hasMore
    return {
      rows: page.map(({ sortValue: _, ...r }) => ({ ...r, organizationRole: roleOf.get(r.key) ?? null })),
      next: !atEnd && last ? encodeCursor([last.sortValue, last.key]) : null,
      previous: !atStart && first ? encodeCursor([first.sortValue, first.key]) : null,
      total: total === null ? null : Math.min(total, COUNT_CAP),
      totalIsLowerBound: total !== null && total > COUNT_CAP,
      searchTooShort,
    }
  })
}
