import 'server-only'
import { and, asc, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import type { UserDetail } from './get-user'
import { appRoleInstances, endUserRoleAssignments, groupMembers, groupRoles, users, type GroupMembershipType, type UserStatus } from '@/db/schema'
import { loadHoldingsOfUsers } from '../access/end-user-roles'
import { withTransaction, type Ctx } from '../context'
import { userCounts } from '../dashboard/get-dashboard'
import { NotFoundError } from '../errors'
import { escapeLike } from '../validation'
import { sortExpressions, visibility } from './list-users'
import { seesEndUsersIn } from './visibility'

// The users of the REST API (API-1, API-2, API-6): offset pages, a count, and one user, all
// restricted by the same visibility rule as the portal's users list (list-users.ts, API-40). A user
// the caller may not see is "not found".
//
// At a million users an exact count per page would cost more than the page (about 0.6 s), so a
// page's total comes from the live counters (migrations 0007 and 0011) when nothing narrows the list, is
// counted exactly up to PAGE_TOTAL_CAP matches otherwise, and is null (which the contract allows)
// beyond: `nextPageOffset` still says whether another page follows. GET /users/count is always exact.

export type UserFilters = {
  /** Substring of the name or email, case-insensitive. */
  nameOrEmailContains?: string
  userKeys?: string[]
  /** Users holding an application role (directly or through a group) of this app… */
  appKey?: string
  /** …and/or in one of these stages. */
  stageKeys?: string[]
  status?: UserStatus
  lastLoginAtSince?: Date
  lastLoginAtTo?: Date
  /** true: only members (an organization role); false/absent: no filter. */
  hasOrganizationRoles?: boolean
  /** true: only end-users (an application role); false/absent: no filter. */
  hasApplicationRoles?: boolean
  /** Email domains, lower case, without "@". */
  domains?: string[]
  /** A filter no user can meet (a portfolio other than Gatehouse's own). */
  matchNothing?: boolean
}

export const USER_PROFILE_SORTS = ['key', 'name', 'email', 'status', 'lastLoginAt'] as const
export type UserProfileSort = (typeof USER_PROFILE_SORTS)[number]

const sortExpression: Record<UserProfileSort, SQL> = {
  key: sql`${users.key}`,
  name: sortExpressions.name,
  email: sortExpressions.email,
  status: sortExpressions.status,
  lastLoginAt: sortExpressions.lastLogin,
}

const columns = {
  key: users.key,
  name: users.name,
  email: users.email,
  photoUrl: users.photoUrl,
  status: users.status,
  isEmailVerified: users.isEmailVerified,
  isMember: users.isMember,
  isEndUser: users.isEndUser,
  lastLoginAt: users.lastLoginAt,
}

export type UserProfileRow = Pick<UserDetail, 'key' | 'name' | 'email' | 'photoUrl' | 'status' | 'isEmailVerified' | 'isMember' | 'isEndUser' | 'lastLoginAt'>

/** Users holding an application role, directly or through a group, on an instance matching `where` (alias i). */
function holdsRoleWhere(where: SQL): SQL {
  return sql`(exists (select 1 from ${endUserRoleAssignments} e join ${appRoleInstances} i on i.key = e.instance_key where e.user_key = ${users.key} and (${where}))
    or exists (select 1 from ${groupMembers} gm join ${groupRoles} gr on gr.group_key = gm.group_key join ${appRoleInstances} i on i.key = gr.instance_key where gm.user_key = ${users.key} and (${where})))`
}

function filterConditions(f: UserFilters): SQL[] {
  const out: SQL[] = []
  if (f.matchNothing) out.push(sql`false`)
  if (f.nameOrEmailContains) out.push(sql`${users.searchText} like ${`%${escapeLike(f.nameOrEmailContains.toLowerCase())}%`}`)
  if (f.userKeys) out.push(inArray(users.key, f.userKeys))
  if (f.status) out.push(eq(users.status, f.status))
  if (f.lastLoginAtSince) out.push(gte(users.lastLoginAt, f.lastLoginAtSince))
  if (f.lastLoginAtTo) out.push(lte(users.lastLoginAt, f.lastLoginAtTo))
  if (f.hasOrganizationRoles) out.push(eq(users.isMember, true))
  if (f.hasApplicationRoles) out.push(eq(users.isEndUser, true))
  // The search_text condition is implied by the exact one; it is there so the trigram index can
  // find the candidates instead of a scan of every email.
  if (f.domains?.length)
    out.push(sql`(${sql.join(f.domains.map((d) => sql`(${users.searchText} like ${`%@${escapeLike(d)}%`} and lower(${users.email}) like ${`%@${escapeLike(d)}`})`), sql` or `)})`)
  const place: SQL[] = []
  if (f.appKey) place.push(sql`i.app_key = ${f.appKey}::uuid`)
  if (f.stageKeys?.length) place.push(sql`i.stage_key in (${sql.join(f.stageKeys.map((k) => sql`${k}::uuid`), sql`, `)})`)
  if (place.length) out.push(sql`${users.isEndUser} and ${holdsRoleWhere(sql.join(place, sql` and `))}`)
  return out
}

/** Above this many matches a page carries no total (counting them all would cost more than the page). */
export const PAGE_TOTAL_CAP = 10_000

async function countWhere(tx: Tx, where: SQL | undefined): Promise<number> {
  const [{ n }] = (await tx.execute(sql`select count(*)::int as n from ${users} where ${where ?? sql`true`}`)).rows as [{ n: number }]
  return n
}

/** Exact up to `cap`, null above. */
async function cappedCount(tx: Tx, where: SQL | undefined, cap: number): Promise<number | null> {
  const [{ n }] = (await tx.execute(sql`select count(*)::int as n from (select 1 from ${users} where ${where ?? sql`true`} limit ${cap + 1}) m`)).rows as [{ n: number }]
  return n > cap ? null : n
}

/** Every user, from the live counters: what a caller who sees everyone gets without filters. */
async function allUsers(tx: Tx): Promise<number> {
  return (await userCounts(tx)).users
}

export type UserProfilePageRow = UserProfileRow & { applicationRoles?: UserApplicationRole[] }

/**
 * One offset page of the users the actor may see (API-1), with its total as described above and,
 * with `applicationRoles`, each user's application roles read for the whole page at once.
 */
export async function queryUsersPage(
  ctx: Ctx,
  input: { offset: number; limit: number; sort: { field: UserProfileSort; direction: 'asc' | 'desc' }; filters: UserFilters; applicationRoles?: boolean },
): Promise<{ rows: UserProfilePageRow[]; total: number | null }> {
  return withTransaction(ctx, async (tx, ctx) => {
    const seen = await visibility(tx, ctx)
    const conditions = filterConditions(input.filters)
    const where = and(seen, ...conditions)
    const expr = sortExpression[input.sort.field]
    const order = input.sort.direction === 'asc' ? [asc(expr), asc(users.key)] : [desc(expr), desc(users.key)]
    const everyone = !seen && !conditions.length ? await allUsers(tx) : null
    // Past the end of a list whose size is known there is nothing to walk to.
    if (everyone !== null && input.offset >= everyone) return { rows: [], total: everyone }
    // Keys first: the walk to the offset reads only the sort's index, then at most `limit` rows.
    const pageKeys = tx.select({ key: users.key }).from(users).where(where).orderBy(...order).limit(input.limit).offset(input.offset)
    const rows: UserProfilePageRow[] = await tx.select(columns).from(users).where(inArray(users.key, pageKeys)).orderBy(...order)
    const total = everyone ?? (rows.length < input.limit && (rows.length > 0 || input.offset === 0) ? input.offset + rows.length : await cappedCount(tx, where, PAGE_TOTAL_CAP))
    if (input.applicationRoles) {
      const roles = await visibleApplicationRoles(tx, ctx, rows.map((r) => r.key))
      for (const row of rows) row.applicationRoles = roles.get(row.key) ?? []
    }
    return { rows, total }
  })
}

/** How many users the actor may see match the filters (exact). */
export async function countUsers(ctx: Ctx, filters: UserFilters): Promise<number> {
  return withTransaction(ctx, async (tx, ctx) => {
    const seen = await visibility(tx, ctx)
    const conditions = filterConditions(filters)
    return !seen && !conditions.length ? allUsers(tx) : countWhere(tx, and(seen, ...conditions))
  })
}

export type UserApplicationRole = {
  instanceKey: string
  appRoleKey: string
  name: string
  claim: string | null
  appKey: string
  stageKey: string
  isDirectlyAssigned: boolean
  groups: Array<{ key: string; name: string; membershipType: GroupMembershipType }>
}

/**
 * One user the actor may see (403 without any permission to see users, 404 when unknown or not
 * visible), optionally with their application roles in the stages and apps the actor may see.
 */
export async function getVisibleUser(ctx: Ctx, userKey: string, opts: { applicationRoles?: boolean } = {}): Promise<UserProfilePageRow> {
  return withTransaction(ctx, async (tx, ctx) => {
    const where = and(eq(users.key, userKey), await visibility(tx, ctx))
    const [row] = await tx.select(columns).from(users).where(where)
    if (!row) throw new NotFoundError('The user')
    if (!opts.applicationRoles) return row
    return { ...row, applicationRoles: (await visibleApplicationRoles(tx, ctx, [userKey])).get(userKey) ?? [] }
  })
}

/**
 * The application roles of these users in the apps and stages the actor may see, one entry per
 * role instance with how it is held (directly and/or through groups), by name. A fixed number of
 * queries whatever the number of users.
 */
async function visibleApplicationRoles(tx: Tx, ctx: Ctx, userKeys: string[]): Promise<Map<string, UserApplicationRole[]>> {
  const holdings = await loadHoldingsOfUsers(tx, userKeys)
  const seen = new Map<string, boolean>()
  const out = new Map<string, UserApplicationRole[]>()
  for (const [userKey, held] of holdings) {
    const byInstance = new Map<string, UserApplicationRole>()
    for (const h of held) {
      const place = `${h.appKey}/${h.stageKey}`
      if (!seen.has(place)) seen.set(place, await seesEndUsersIn(tx, ctx, h))
      if (!seen.get(place)) continue
      const role = byInstance.get(h.instanceKey) ?? { instanceKey: h.instanceKey, appRoleKey: h.appRoleKey, name: h.roleName, claim: h.claim, appKey: h.appKey, stageKey: h.stageKey, isDirectlyAssigned: false, groups: [] }
      if (h.source.type === 'Direct') role.isDirectlyAssigned = true
      else role.groups.push({ key: h.source.groupKey, name: h.source.groupName, membershipType: h.source.membershipType })
      byInstance.set(h.instanceKey, role)
    }
    out.set(userKey, [...byInstance.values()].sort((a, b) => a.name.localeCompare(b.name) || a.instanceKey.localeCompare(b.instanceKey)))
  }
  return out
}
