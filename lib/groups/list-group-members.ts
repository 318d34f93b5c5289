import 'server-only'
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { groupMembers, users, type GroupMembershipType, type UserStatus } from '@/db/schema'
import { withTransaction, type Ctx } from '../context'
import { escapeLike, parse } from '../validation'
import { groupFor } from './access'
import { keysetPage } from '../pagination'
import { membersOf } from './impact'
import { listGroupMembersSchema } from './schemas'

export type GroupMemberRow = { key: string; name: string; email: string | null; status: UserStatus; types: GroupMembershipType[] }

export type GroupMemberPage = { rows: GroupMemberRow[]; next: string | null; previous: string | null }

/**
 * A group's members by name, keyset-paginated (a group may have 100 000), with how each came to be
 * there: Assigned (removable here) and/or Mapped (from an identity provider's claim mapping).
 */
export async function listGroupMembers(ctx: Ctx, input: unknown): Promise<GroupMemberPage> {
  const p = parse(listGroupMembersSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await groupFor(tx, ctx, p.groupKey)
    const filters: SQL[] = [sql`${users.key} in (${membersOf(p.groupKey)})`]
    if (p.q) filters.push(sql`${users.searchText} like ${`%${escapeLike(p.q.toLowerCase())}%`}`)
    const expr = sql`lower(${users.name})`
    const page = keysetPage(expr, users.key, p)
    const fetched = await tx
      .select({ key: users.key, name: users.name, email: users.email, status: users.status, sortValue: sql<string>`${expr}` })
      .from(users)
      .where(and(...filters, page.where))
      .orderBy(...page.orderBy)
      .limit(p.perPage + 1)
    const { rows, next, previous } = page.finish(fetched, p.perPage)
    const keys = rows.map((r) => r.key)
    const types = keys.length
      ? await tx
          .select({ userKey: groupMembers.userKey, type: groupMembers.type })
          .from(groupMembers)
          .where(and(eq(groupMembers.groupKey, p.groupKey), inArray(groupMembers.userKey, keys)))
      : []
    return {
      rows: rows.map(({ sortValue: _, ...r }) => ({ ...r, types: types.filter((t) => t.userKey === r.key).map((t) => t.type).sort() })),
      next,
      previous,
    }
  })
}
