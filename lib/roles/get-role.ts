import 'server-only'
import { catalogueFor, requirePermission } from '../authz'
import type { GrantedPermission } from '../authz/model'
import { nowOf, withTransaction, type Ctx } from '../context'
import { parse } from '../validation'
import { requireRoleViewer } from './access'
import { computeImpact, type RoleImpact } from './impact'
import { loadPermissionRegistry, type PermissionRegistry } from './permission-registry'
import { findRole, holderCounts, loadRoleGrants, type HolderCounts } from './role-store'
import { roleKeySchema } from './schemas'

export type RoleDetail = {
  key: string
  name: string
  description: string
  isReadOnly: boolean
  builtIn: string | null
  /** Carried by the edit form: a save names the version it started from (optimistic concurrency). */
  version: number
  permissions: GrantedPermission[]
  holders: HolderCounts
  registry: PermissionRegistry
  can: { manage: boolean; edit: boolean; delete: boolean; duplicate: boolean }
  /** What deleting the role would take away, for the confirmation; only for those who may delete it. */
  deletion: RoleImpact | null
}

/** One role for /roles/[key], with the registry to show it against. */
export async function getRole(ctx: Ctx, input: unknown): Promise<RoleDetail> {
  const { roleKey } = parse(roleKeySchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const { canManage } = await requireRoleViewer(tx, ctx)
    const role = await findRole(tx, roleKey)
    const permissions = await loadRoleGrants(tx, roleKey)
    const editable = canManage && !role.isReadOnly
    const catalogue = await catalogueFor(tx, ctx)
    const deletion = editable ? await computeImpact(tx, role, permissions, [], catalogue, nowOf(ctx)) : null
    return {
      key: role.key,
      name: role.name,
      description: role.description,
      isReadOnly: role.isReadOnly,
      builtIn: role.builtIn,
      version: role.version,
      permissions,
      holders: deletion?.holders ?? (await holderCounts(tx, roleKey, nowOf(ctx))),
      registry: await loadPermissionRegistry(tx, ctx),
      can: { manage: canManage, edit: editable, delete: editable, duplicate: canManage },
      deletion,
    }
  })
}

/** The registry alone, for /roles/new: only for those who may create roles. */
export async function getPermissionRegistry(ctx: Ctx): Promise<PermissionRegistry> {
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_roles')
    return loadPermissionRegistry(tx, ctx)
  })
}
