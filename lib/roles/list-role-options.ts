import 'server-only'
import { asc, desc } from 'drizzle-orm'
import { roles } from '@/db/schema'
import { requirePermission } from '../authz'
import { withTransaction, type Ctx } from '../context'

export type RoleOption = { key: string; name: string; isReadOnly: boolean }

/** Organization roles to choose from when inviting a member or changing their role. */
export async function listRoleOptions(ctx: Ctx): Promise<RoleOption[]> {
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_member_access')
    return tx.select({ key: roles.key, name: roles.name, isReadOnly: roles.isReadOnly }).from(roles).orderBy(desc(roles.isReadOnly), asc(roles.name)).limit(500)
  })
}
