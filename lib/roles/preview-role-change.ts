import 'server-only'
import { catalogueFor, requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { parse } from '../validation'
import { computeImpact, type RoleImpact } from './impact'
import { findRole, loadRoleGrants, normalizeGrants, refuseReadOnly } from './role-store'
import { previewRoleChangeSchema, roleKeySchema } from './schemas'

/** What saving `permissions` on the role would take from its holders; changes nothing. */
export async function previewRoleChange(ctx: Ctx, input: unknown): Promise<RoleImpact> {
  const p = parse(previewRoleChangeSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_roles')
    const role = await findRole(tx, p.roleKey)
    refuseReadOnly(role, 'changed')
    const catalogue = await catalogueFor(tx, ctx)
    const next = normalizeGrants(p.permissions, catalogue)
    return computeImpact(tx, role, await loadRoleGrants(tx, role.key), next, catalogue, nowOf(ctx))
  })
}

/** What deleting the role would take from its holders: everything it confers; changes nothing. */
export async function previewRoleDeletion(ctx: Ctx, input: unknown): Promise<RoleImpact> {
  const { roleKey } = parse(roleKeySchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_roles')
    const role = await findRole(tx, roleKey)
    refuseReadOnly(role, 'deleted')
    const catalogue = await catalogueFor(tx, ctx)
    return computeImpact(tx, role, await loadRoleGrants(tx, role.key), [], catalogue, nowOf(ctx))
  })
}
