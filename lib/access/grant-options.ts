import 'server-only'
import { asc, desc, inArray, sql } from 'drizzle-orm'
import { apps, rolePermissions, roles } from '@/db/schema'
import { requirePermission } from '../authz'
import { permissionDefs } from '../authz/catalogue'
import { withTransaction, type Ctx } from '../context'

export type GrantableRole = {
  key: string
  name: string
  isReadOnly: boolean
  /** Permissions of the role that only work at organization scope: they do nothing in an app-scope grant (AUTHZ-2). */
  organizationOnly: string[]
}
export type GrantOptions = { roles: GrantableRole[]; apps: Array<{ key: string; name: string }>; moreApps: boolean }

const MAX_APPS = 500
const organizationOnlyKeys = permissionDefs.filter((p) => !p.allowedScopes.includes('Asset'))
const nameOf = new Map(organizationOnlyKeys.map((p) => [p.key, `${p.category} · ${p.name}`]))

/** The roles and apps to choose from when granting a member a role (Organization access tab). */
export async function getGrantOptions(ctx: Ctx): Promise<GrantOptions> {
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_member_access')
    const roleRows = await tx.select({ key: roles.key, name: roles.name, isReadOnly: roles.isReadOnly }).from(roles).orderBy(desc(roles.isReadOnly), asc(roles.name)).limit(500)
    const orgOnly = roleRows.length
      ? await tx
          .select({ roleKey: rolePermissions.roleKey, permissionKey: rolePermissions.permissionKey })
          .from(rolePermissions)
          .where(inArray(rolePermissions.permissionKey, organizationOnlyKeys.map((p) => p.key)))
      : []
    const appRows = await tx.select({ key: apps.key, name: apps.name }).from(apps).orderBy(sql`lower(${apps.name})`, apps.key).limit(MAX_APPS + 1)
    return {
      roles: roleRows.map((r) => ({ ...r, organizationOnly: orgOnly.filter((o) => o.roleKey === r.key).map((o) => nameOf.get(o.permissionKey)!) })),
      apps: appRows.slice(0, MAX_APPS),
      moreApps: appRows.length > MAX_APPS,
    }
  })
}
