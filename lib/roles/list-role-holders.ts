import 'server-only'
import { and, count, eq, sql } from 'drizzle-orm'
import { apps, roleAssignments, users, type UserStatus } from '@/db/schema'
import { periodState, type GrantPeriodState } from '../authz/evaluate'
import { nowOf, withTransaction, type Ctx } from '../context'
import { keysetPage } from '../pagination'
import { parse } from '../validation'
import { requireRoleViewer } from './access'
import { findRole } from './role-store'
import { listRoleHoldersSchema } from './schemas'

export type RoleHolder = {
  /** The grant's key: one user may hold the role at organization scope and for several apps. */
  grantKey: string
  userKey: string
  name: string
  email: string | null
  status: UserStatus
  scope: { type: 'organization' } | { type: 'app'; appKey: string; appName: string }
  state: GrantPeriodState
  startsAt: Date | null
  endsAt: Date | null
}

export type RoleHolderPage = { rows: RoleHolder[]; next: string | null; previous: string | null; total: number }

/**
 * "Users with this role" (AUTHZ-7): every grant of the role, by holder name, in keyset pages over
 * (lower(name), grant key) so that deep pages cost what the first does.
 */
export async function listRoleHolders(ctx: Ctx, input: unknown): Promise<RoleHolderPage> {
  const p = parse(listRoleHoldersSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requireRoleViewer(tx, ctx)
    await findRole(tx, p.roleKey)
    const sortKey = sql`lower(${users.name})`
    const keyset = keysetPage(sortKey, roleAssignments.key, p)
    const fetched = await tx
      .select({
        key: roleAssignments.key,
        userKey: users.key,
        name: users.name,
        email: users.email,
        status: users.status,
        appKey: roleAssignments.appKey,
        appName: apps.name,
        startsAt: roleAssignments.startsAt,
        endsAt: roleAssignments.endsAt,
        sortValue: sql<string>`${sortKey}`,
      })
      .from(roleAssignments)
      .innerJoin(users, eq(users.key, roleAssignments.userKey))
      .leftJoin(apps, eq(apps.key, roleAssignments.appKey))
      .where(and(eq(roleAssignments.roleKey, p.roleKey), keyset.where))
      .orderBy(...keyset.orderBy)
      .limit(p.perPage + 1)
    const { rows: page, next, previous } = keyset.finish(fetched, p.perPage)
    const [{ n }] = await tx.select({ n: count() }).from(roleAssignments).where(eq(roleAssignments.roleKey, p.roleKey))
    const now = nowOf(ctx)
    return {
      rows: page.map((r) => ({
        grantKey: r.key,
        userKey: r.userKey,
        name: r.name,
        email: r.email,
        status: r.status,
        scope: r.appKey ? { type: 'app' as const, appKey: r.appKey, appName: r.appName ?? '' } : { type: 'organization' as const },
        state: periodState(r, now),
        startsAt: r.startsAt,
        endsAt: r.endsAt,
      })),
      next,
      previous,
      total: n,
    }
  })
}
