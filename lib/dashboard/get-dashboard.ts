import 'server-only'
import { count, desc, sql } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { apps, auditEvents, groups, userCountDeltas, type AuditEvent } from '@/db/schema'
import { allowedInSomeStage, checkPermission, hasPermission, heldSomewhere } from '../authz'
import { withTransaction, type Ctx } from '../context'

export type UserCounts = { users: number; members: number; internalEndUsers: number; externalEndUsers: number; pendingInvitations: number }

export type Dashboard = {
  counts: UserCounts | null
  /** Null when the member may not open that list. */
  groups: number | null
  apps: number | null
  recent: AuditEvent[] | null
}

// Above this many appended changes the dashboard folds them into one row per kind first.
const FOLD_ABOVE = 200

/**
 * The live user counts (CLS-2), kept by the triggers of migration 0007: summing a few hundred
 * small rows instead of counting a million users, and exact right after every committed change.
 */
export async function userCounts(tx: Tx): Promise<UserCounts> {
  const [{ rows }] = await tx.select({ rows: count() }).from(userCountDeltas)
  if (rows > FOLD_ABOVE) {
    // Concurrent writers keep appending; only the rows this statement deletes are folded.
    await tx.execute(sql`with folded as (delete from ${userCountDeltas} returning kind, delta)
      insert into ${userCountDeltas} (kind, delta) select kind, sum(delta) from folded group by kind order by kind`)
  }
  const sums = await tx.select({ kind: userCountDeltas.kind, n: sql<string>`sum(${userCountDeltas.delta})` }).from(userCountDeltas).groupBy(userCountDeltas.kind)
  const of = (kind: string) => Number(sums.find((s) => s.kind === kind)?.n ?? 0)
  return { users: of('user'), members: of('member'), internalEndUsers: of('end_user_internal'), externalEndUsers: of('end_user_external'), pendingInvitations: of('invited') }
}

/** UI-2: each part only for those who may see it. */
export async function getDashboard(ctx: Ctx): Promise<Dashboard> {
  return withTransaction(ctx, async (tx, ctx) => {
    const allowed = (slug: string) => hasPermission(tx, ctx, slug)
    const seesCounts =
      (await allowed('users.manage')) || (await allowed('users.view_members')) || (await allowed('subscription.view')) || heldSomewhere(await checkPermission(tx, ctx, 'endusers.view'))
    const counts = seesCounts ? await userCounts(tx) : null
    const seesGroups = allowedInSomeStage(await checkPermission(tx, ctx, 'endusers.view')) || allowedInSomeStage(await checkPermission(tx, ctx, 'endusers.manage_groups'))
    const groupCount = seesGroups ? (await tx.select({ n: count() }).from(groups))[0].n : null
    const appCount = heldSomewhere(await checkPermission(tx, ctx, 'asset.open')) ? (await tx.select({ n: count() }).from(apps))[0].n : null
    const recent = (await allowed('org.view_audit')) ? await tx.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(10) : null
    return { counts, groups: groupCount, apps: appCount, recent }
  })
}
