import 'server-only'
import { eq } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { groups, stages } from '@/db/schema'
import { catalogueFor, checkPermission, hasPermission, principalFor, requirePermission } from '../authz'
import type { StageRef } from '../authz/model'
import type { Ctx } from '../context'
import { ConflictError, ForbiddenError, NotFoundError } from '../errors'

/**
 * The stages in which the actor holds `slug` at organization scope. End-user permissions can be
 * limited to stages (a Developer views end-users in DEV only), so group visibility and management
 * are decided per stage, never "anywhere".
 */
export async function stagesWhere(tx: Tx, ctx: Ctx, slug: string): Promise<StageRef[]> {
  const catalogue = await catalogueFor(tx, ctx)
  const out: StageRef[] = []
  for (const stage of catalogue.stages.values()) if (await hasPermission(tx, ctx, slug, { stageKey: stage.key })) out.push(stage)
  return out
}

/** Like stagesWhere, but refuses (with the evaluator's reason) when there is no such stage. */
export async function requireSomeStage(tx: Tx, ctx: Ctx, slug: string, what: string): Promise<StageRef[]> {
  const allowed = await stagesWhere(tx, ctx, slug)
  if (allowed.length > 0) return allowed
  const decision = await checkPermission(tx, ctx, slug)
  throw new ForbiddenError(`You do not have permission to ${what}.`, decision === 'system' ? undefined : decision.reason)
}

export type GroupRow = { key: string; name: string; description: string; version: number; stageKey: string; stageCode: string; stageName: string }

/**
 * `lock: 'update'` for changes to the group or its roles; `'share'` for membership changes, so they
 * run alongside each other but never interleave with a roles change or a deletion (whose end-user
 * flag refresh must see every member).
 */
export async function findGroup(tx: Tx, groupKey: string, opts: { lock?: 'update' | 'share' } = {}): Promise<GroupRow> {
  const query = tx
    .select({ key: groups.key, name: groups.name, description: groups.description, version: groups.version, stageKey: groups.stageKey, stageCode: stages.code, stageName: stages.name })
    .from(groups)
    .innerJoin(stages, eq(stages.key, groups.stageKey))
    .where(eq(groups.key, groupKey))
  const [group] = opts.lock ? await query.for(opts.lock, { of: groups }) : await query
  if (!group) throw new NotFoundError('The group')
  return group
}

/**
 * Loads a group the actor may see (endusers.view in its stage) and, when `manage`, may change
 * (endusers.manage_groups in its stage, which includes viewing).
 */
export async function groupFor(tx: Tx, ctx: Ctx, groupKey: string, opts: { manage?: boolean; lock?: 'update' | 'share' } = {}): Promise<GroupRow> {
  // Who is asking comes first: a signed-out caller learns nothing about which keys exist.
  if (ctx.actor?.type !== 'system') await principalFor(tx, ctx)
  const group = await findGroup(tx, groupKey, opts)
  await requirePermission(tx, ctx, opts.manage ? 'endusers.manage_groups' : 'endusers.view', { stageKey: group.stageKey })
  return group
}

/** Optimistic concurrency: an edit names the version it started from. */
export function checkVersion(group: GroupRow, version: number): void {
  if (group.version !== version)
    throw new ConflictError(`The group “${group.name}” was changed by someone else after you opened it. Reload the page to see the current version, then make your change again.`)
}
