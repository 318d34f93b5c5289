import 'server-only'
import { count, desc, eq } from 'drizzle-orm'
import { auditEvents, users, type AuditEvent } from '@/db/schema'
import { hasPermission } from '../authz'
import { withTransaction, type Ctx } from '../context'

export type Dashboard = {
  counts: { members: number; endUsers: number; pendingInvitations: number } | null
  recent: AuditEvent[] | null
}

/** UI-2. Each count is one index-only scan over a partial/flag index, never a join over users. */
export async function getDashboard(ctx: Ctx): Promise<Dashboard> {
  return withTransaction(ctx, async (tx, ctx) => {
    const allowed = (slug: string) => hasPermission(tx, ctx, slug)
    let counts: Dashboard['counts'] = null
    if ((await allowed('users.view_members')) || (await allowed('users.manage'))) {
      const [m] = await tx.select({ n: count() }).from(users).where(eq(users.isMember, true))
      const [e] = await tx.select({ n: count() }).from(users).where(eq(users.isEndUser, true))
      const [i] = await tx.select({ n: count() }).from(users).where(eq(users.status, 'Invited'))
      counts = { members: m.n, endUsers: e.n, pendingInvitations: i.n }
    }
    const recent = (await allowed('org.view_audit')) ? await tx.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(10) : null
    return { counts, recent }
  })
}
