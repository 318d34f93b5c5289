import 'server-only'
import { asc, countDistinct, desc, eq, sql } from 'drizzle-orm'
import { roleAssignments, rolePermissions, roles } from '@/db/schema'
import { nowOf, withTransaction, type Ctx } from '../context'
import { requireRoleViewer } from './access'
import { notExpired } from './role-store'

export type RoleSummary = {
  key: string
  name: string
  description: string
  isReadOnly: boolean
  permissionCount: number
  /** Distinct users holding the role at organization or app scope (expired grants aside). */
  userCount: number
}

export type RoleList = { roles: RoleSummary[]; canManage: boolean }

/** The /roles list: built-in roles first, then custom roles by name, with counts from two grouped queries. */
export async function listRoles(ctx: Ctx): Promise<RoleList> {
  return withTransaction(ctx, async (tx, ctx) => {
    const { canManage } = await requireRoleViewer(tx, ctx)
    const permissionCounts = tx
      .select({ roleKey: rolePermissions.roleKey, n: sql<number>`count(*)::int`.as('permission_n') })
      .from(rolePermissions)
      .groupBy(rolePermissions.roleKey)
      .as('pc')
    const userCounts = tx
      .select({ roleKey: roleAssignments.roleKey, n: countDistinct(roleAssignments.userKey).as('user_n') })
      .from(roleAssignments)
      .where(notExpired(nowOf(ctx)))
      .groupBy(roleAssignments.roleKey)
      .as('uc')
    const rows = await tx
      .select({
        key: roles.key,
        name: roles.name,
        description: roles.description,
        isReadOnly: roles.isReadOnly,
        permissionCount: sql<number>`coalesce(${permissionCounts.n}, 0)`.mapWith(Number),
        userCount: sql<number>`coalesce(${userCounts.n}, 0)`.mapWith(Number),
      })
      .from(roles)
      .leftJoin(permissionCounts, eq(permissionCounts.roleKey, roles.key))
      .leftJoin(userCounts, eq(userCounts.roleKey, roles.key))
      .orderBy(desc(roles.isReadOnly), asc(roles.builtIn), asc(sql`lower(${roles.name})`), asc(roles.key))
      .limit(1000)
    return { roles: rows, canManage }
  })
}
