import 'server-only'
import { and, asc, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import type { UserDetail } from './get-user'
import { appRoleInstances, appRoles, endUserRoleAssignments, groupMembers, groupRoles, users, type GroupMembershipType, type UserStatus } from '@/db/schema'
import { loadHoldings } from '../access/end-user-roles'
import { withTransaction, type Ctx } from '../context'
import { NotFoundError } from '../errors'
import { escapeLike } from '../validation'
import { sortExpressions, visibility } from './list-users'
import { seesEndUsersIn } from './visibility'

// The users of the REST API (API-1, API-2, API-6): offset pages with exact totals, a count, and one
// user, all restricted by the same visibility rule as the portal's users list (list-users.ts,
// API-40). A user the caller may not see is "not found".

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
  if (f.nameOrEmailContains) out.push(sql`${users.searchText} like ${`%${escapeLike(f.nameOrEmailContains.toLowerCase())}%`}`)
  if (f.userKeys) out.push(inArray(users.key, f.userKeys))
  if (f.status) out.push(eq(users.status, f.status))
  if (f.lastLoginAtSince) out.push(gte(users.lastLoginAt, f.lastLoginAtSince))
  if (f.lastLoginAtTo) out.push(lte(users.lastLoginAt, f.lastLoginAtTo))
  if (f.hasOrganizationRoles) out.push(eq(users.isMember, true))
  if (f.hasApplicationRoles) out.push(eq(users.isEndUser, true))
  if (f.domains?.length) out.push(sql`(${sql.join(f.domains.map((d) => sql`lower(${users.email}) like ${`%@${escapeLike(d)}`}`), sql` or `)})`)
  const place: SQL[] = []
  if (f.appKey) place.push(sql`i.app_key = ${f.appKey}::uuid`)
  if (f.stageKeys?.length) place.push(sql`i.stage_key in (${sql.join(f.stageKeys.map((k) => sql`${k}::uuid`), sql`, `)})`)
  if (place.length) out.push(sql`${users.isEndUser} and ${holdsRoleWhere(sql.join(place, sql` and `))}`)
  return out
}

async function whereFor(tx: Tx, ctx: Ctx, filters: UserFilters): Promise<SQL | undefined> {
  return and(await visibility(tx, ctx), ...filterConditions(filters))
}

async function countWhere(tx: Tx, where: SQL | undefined): Promise<number> {
  const [{ n }] = (await tx.execute(sql`select count(*)::int as n from ${users} where ${where ?? sql`true`}`)).rows as [{ n: number }]
  return n
}

/** One offset page of the users the actor may see, with the exact number of matches. */
export async function queryUsersPage(
  ctx: Ctx,
  input: { offset: number; limit: number; sort: { field: UserProfileSort; direction: 'asc' | 'desc' }; filters: UserFilters },
): Promise<{ rows: UserProfileRow[]; total: number }> {
  return withTransaction(ctx, async (tx, ctx) => {
    const where = await whereFor(tx, ctx, input.filters)
    const expr = sortExpression[input.sort.field]
    const order = input.sort.direction === 'asc' ? [asc(expr), asc(users.key)] : [desc(expr), desc(users.key)]
    const rows = await tx.select(columns).from(users).where(where).orderBy(...order).limit(input.limit).offset(input.offset)
    return { rows, total: await countWhere(tx, where) }
  })
}

/** How many users the actor may see match the filters (exact). */
export async function countUsers(ctx: Ctx, filters: UserFilters): Promise<number> {
  return withTransaction(ctx, async (tx, ctx) => countWhere(tx, await whereFor(tx, ctx, filters)))
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
export async function getVisibleUser(ctx: Ctx, userKey: string, opts: { applicationRoles?: boolean } = {}): Promise<UserProfileRow & { applicationRoles?: UserApplicationRole[] }> {
  return withTransaction(ctx, async (tx, ctx) => {
    const where = and(eq(users.key, userKey), await visibility(tx, ctx))
    const [row] = await tx.select(columns).from(users).where(where)
    if (!row) throw new NotFoundError('The user')
    if (!opts.applicationRoles) return row
    const byInstance = new Map<string, UserApplicationRole>()
    const seen = new Map<string, boolean>()
    for (const h of await loadHoldings(tx, userKey)) {
      const place = `${h.appKey}/${h.stageKey}`
      if (!seen.has(place)) seen.set(place, await seesEndUsersIn(tx, ctx, h))
      if (!seen.get(place)) continue
      const role = byInstance.get(h.instanceKey) ?? { instanceKey: h.instanceKey, appRoleKey: h.appRoleKey, name: h.roleName, claim: null, appKey: h.appKey, stageKey: h.stageKey, isDirectlyAssigned: false, groups: [] }
      if (h.source.type === 'Direct') role.isDirectlyAssigned = true
      else role.groups.push({ key: h.source.groupKey, name: h.source.groupName, membershipType: h.source.membershipType })
      byInstance.set(h.instanceKey, role)
    }
    const roles = [...byInstance.values()]
    if (roles.length) {
      const claims = await tx.select({ key: appRoles.key, claim: appRoles.claimName }).from(appRoles).where(inArray(appRoles.key, [...new Set(roles.map((r) => r.appRoleKey))]))
      const claimOf = new Map(claims.map((c) => [c.key, c.claim]))
      for (const r of roles) r.claim = claimOf.get(r.appRoleKey) ?? null
    }
    roles.sort((a, b) => a.name.localeCompare(b.name) || a.instanceKey.localeCompare(b.instanceKey))
    return { ...row, applicationRoles: roles }
  })
}
