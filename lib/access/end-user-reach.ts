import 'server-only'
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { checkPermission } from '../authz'
import type { Ctx } from '../context'
import { ForbiddenError } from '../errors'

/**
 * Where an end-user permission (endusers.view, endusers.manage_access…) holds: everywhere, or in
 * some places, each a stage list (null: every stage) at organization scope or within one app.
 * End-user permissions can be limited to stages and granted for one app, so a list of roles or
 * holders is filtered by these places in SQL rather than checked row by row.
 */
export type Reach = { everywhere: true } | { everywhere: false; places: Array<{ appKey: string | null; stageKeys: string[] | null }> }

export async function endUserReach(tx: Tx, ctx: Ctx, slug: string): Promise<Reach> {
  const decision = await checkPermission(tx, ctx, slug)
  if (decision === 'system' || decision.allowed) return { everywhere: true }
  // Without a target, a stage-limited grant misses for want of a stage and an app-scope grant for
  // want of its app: exactly the places the permission reaches. Expired or scheduled grants reach nowhere.
  const places = decision.nearMisses.filter((m) => m.why === 'no-stage' || m.why === 'other-app').map((m) => ({ appKey: m.appKey, stageKeys: m.stageKeys }))
  return { everywhere: false, places }
}

/** Like endUserReach, but refuses (403, with the evaluator's reason) when the permission is held nowhere. */
export async function requireEndUserReach(tx: Tx, ctx: Ctx, slug: string, what: string): Promise<Reach> {
  const reach = await endUserReach(tx, ctx, slug)
  if (reach.everywhere || reach.places.length > 0) return reach
  const decision = await checkPermission(tx, ctx, slug)
  throw new ForbiddenError(`You do not have permission to ${what}.`, decision === 'system' ? undefined : decision.reason)
}

/** A condition on rows whose app and stage are `at`: true where the reach holds. */
export function withinReach(reach: Reach, at: { appKey: SQLWrapper; stageKey: SQLWrapper }): SQL {
  if (reach.everywhere) return sql`true`
  if (reach.places.length === 0) return sql`false`
  const places = reach.places.map((p) => {
    const inStages = p.stageKeys === null ? sql`true` : p.stageKeys.length ? sql`${at.stageKey} in (${sql.join(p.stageKeys.map((k) => sql`${k}::uuid`), sql`, `)})` : sql`false`
    return p.appKey === null ? inStages : sql`(${at.appKey} = ${p.appKey}::uuid and ${inStages})`
  })
  return sql`(${sql.join(places, sql` or `)})`
}
