import 'server-only'
import type { Tx } from '@/db/client'
import { checkPermission } from '../authz'
import type { Ctx } from '../context'
import { ForbiddenError } from '../errors'

/**
 * Roles are visible to whoever manages them, and to whoever sees or manages members (they need to
 * know what a role means). Returns whether the actor may also change them.
 */
export async function requireRoleViewer(tx: Tx, ctx: Ctx): Promise<{ canManage: boolean }> {
  const manage = await checkPermission(tx, ctx, 'users.manage_roles')
  if (manage === 'system' || manage.allowed) return { canManage: true }
  for (const slug of ['users.view_members', 'users.manage_member_access']) {
    const d = await checkPermission(tx, ctx, slug)
    if (d === 'system' || d.allowed) return { canManage: false }
  }
  throw new ForbiddenError('You do not have permission to see organization roles.', manage.reason)
}
