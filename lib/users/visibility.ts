import 'server-only'
import type { Tx } from '@/db/client'
import { allowedInSomeStage, checkPermission, hasPermission } from '../authz'
import type { Ctx } from '../context'
import { ForbiddenError } from '../errors'

/**
 * Who may look at a user: whoever manages users; members to those who may view members; end-users
 * to those who may view end-users in some stage.
 */
export async function requireCanSeeUser(tx: Tx, ctx: Ctx, user: { isMember: boolean; isEndUser: boolean }): Promise<void> {
  if (await hasPermission(tx, ctx, 'users.manage')) return
  if (user.isMember && (await hasPermission(tx, ctx, 'users.view_members'))) return
  if (user.isEndUser && allowedInSomeStage(await checkPermission(tx, ctx, 'endusers.view'))) return
  throw new ForbiddenError('You do not have permission to see this user.')
}
