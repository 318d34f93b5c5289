import { index, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core'
import { permissions } from './permissions'
import { roles } from './roles'

export const rolePermissions = pgTable(
  'role_permissions',
  {
    roleKey: uuid('role_key').notNull().references(() => roles.key, { onDelete: 'cascade' }),
    permissionKey: uuid('permission_key').notNull().references(() => permissions.key, { onDelete: 'restrict' }),
    // null: every stage; otherwise the grant holds only in these stages (AUTHZ-3).
    stageKeys: uuid('stage_keys').array(),
  },
  (t) => [primaryKey({ columns: [t.roleKey, t.permissionKey] }), index('role_permissions_permission_idx').on(t.permissionKey)],
)

export type RolePermission = typeof rolePermissions.$inferSelect
