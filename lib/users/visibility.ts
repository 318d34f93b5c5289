import 'server-only'
import type { Tx } from '@/db/client'
import { hasPermission } from '../authz'
import type { Ctx } from '../context'
import { ForbiddenError } from '../errors'
import { loadHoldings } from '../access/end-user-roles'

/**
 * Who may look at a user: whoever manages users; members to those who may view members; end-users
 * to those who may view end-users in a stage (and app) where the user holds a role: a grant of
 * "View end-users" limited to stages shows only the end-users of those stages (SPEC §12).
 */
export async function requireCanSeeUser(tx: Tx, ctx: Ctx, user: { key: string; isMember: boolean; isEndUser: boolean }): Promise<void> {
  if (await canSeeUser(tx, ctx, user)) return
  throw new ForbiddenError('You do not have permission to see this user.')
}

export async function canSeeUser(tx: Tx, ctx: Ctx, user: { key: string; isMember: boolean; isEndUser: boolean }): Promise<boolean> {
  if (await hasPermission(tx, ctx, 'users.manage')) return true
  if (user.isMember && (await hasPermission(tx, ctx, 'users.view_members'))) return true
  if (!user.isEndUser) return false
  const places = new Map((await loadHoldings(tx, user.key)).map((h) => [`${h.appKey}/${h.stageKey}`, h]))
  for (const h of places.values()) if (await seesEndUsersIn(tx, ctx, h)) return true
  return false
}

/** Whether the actor may see end-user roles held in this app and stage (and so change nothing there unseen). */
export async function seesEndUsersIn(tx: Tx, ctx: Ctx, where: { appKey: string; stageKey: string }): Promise<boolean> {
  return (await hasPermission(tx, ctx, 'users.manage')) || hasPermission(tx, ctx, 'endusers.view', { appKey: where.appKey, stageKey: where.stageKey })
}
