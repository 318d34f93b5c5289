import 'server-only'
import { asc, count, desc, sql, type SQL } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { users } from '@/db/schema'
import { escapeLike } from '../../validation'

// The users holding a role, as ODC's RoleUserResponse pages show them (organization roles and
// application roles alike): the same filters, sorts and shape for both.

export const ROLE_HOLDER_SORTS = ['userKey', 'name', 'email', 'status', 'lastLoginAt'] as const
export type RoleHolderSort = (typeof ROLE_HOLDER_SORTS)[number]

export type RoleHolder = { key: string; name: string | null; email: string | null; status: string; photoUrl: string | null; lastLoginAt: string | null }

type HolderQuery = {
  nameOrEmailContains?: string
  nameOrEmailOrUsernameContains?: string
  sort: { field: RoleHolderSort; direction: 'asc' | 'desc' }
  offset: number
  limit: number
}

/** Gatehouse keeps no usernames apart from emails, so both filters match name or email. */
export function nameOrEmailConditions(query: Pick<HolderQuery, 'nameOrEmailContains' | 'nameOrEmailOrUsernameContains'>): SQL[] {
  const out: SQL[] = []
  for (const raw of [query.nameOrEmailContains, query.nameOrEmailOrUsernameContains]) {
    const term = raw?.trim().toLowerCase()
    if (term) out.push(sql`${users.searchText} like ${`%${escapeLike(term)}%`}`)
  }
  return out
}

/** One page of the users matching `where`, sorted as asked (those who never signed in last), and how many match. */
export async function roleHolderPage(tx: Tx, where: SQL | undefined, query: HolderQuery): Promise<{ holders: RoleHolder[]; total: number }> {
  const direction = query.sort.direction === 'desc' ? desc : asc
  const column = {
    userKey: sql`${users.key}`,
    name: sql`lower(${users.name})`,
    email: sql`lower(coalesce(${users.email}, ''))`,
    status: sql`${users.status}::text`,
    lastLoginAt: sql`${users.lastLoginAt}`,
  }[query.sort.field]
  const rows = await tx
    .select({ key: users.key, name: users.name, email: users.email, status: users.status, photoUrl: users.photoUrl, lastLoginAt: users.lastLoginAt })
    .from(users)
    .where(where)
    .orderBy(query.sort.field === 'lastLoginAt' ? sql`${column} ${sql.raw(query.sort.direction)} nulls last` : direction(column), direction(users.key))
    .limit(query.limit)
    .offset(query.offset)
  const [{ n }] = await tx.select({ n: count() }).from(users).where(where)
  const holders = rows.map((r) => ({ key: r.key, name: r.name || null, email: r.email, status: r.status, photoUrl: r.photoUrl, lastLoginAt: r.lastLoginAt?.toISOString() ?? null }))
  return { holders, total: n }
}
