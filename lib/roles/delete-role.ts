import 'server-only'
import { eq } from 'drizzle-orm'
import { roles } from '@/db/schema'
import { audit } from '../audit/record'
import { catalogueFor, requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { ConflictError } from '../errors'
import { parse } from '../validation'
import { grantStrings } from './coverage'
import { computeImpact, impactSummary } from './impact'
import { findRole, loadRoleGrants, refuseReadOnly, revokeRoleAssignments } from './role-store'
import { deleteRoleSchema } from './schemas'
import { STALE_ROLE_MESSAGE } from './update-role'

/**
 * Deletes a custom role, revoking its grants (ROLE-3). Built-in roles — Administrator among them —
 * cannot be deleted, so this never removes an administrator (AUTHZ-6).
 */
export async function deleteRole(ctx: Ctx, input: unknown): Promise<{ grantsRevoked: number; usersAffected: number }> {
  const p = parse(deleteRoleSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_roles')
    const role = await findRole(tx, p.roleKey, { forUpdate: true })
    refuseReadOnly(role, 'deleted')
    if (p.version !== undefined && p.version !== role.version) throw new ConflictError(STALE_ROLE_MESSAGE)
    const catalogue = await catalogueFor(tx, ctx)
    const permissions = await loadRoleGrants(tx, role.key)
    const impact = await computeImpact(tx, role, permissions, [], catalogue, nowOf(ctx))
    const revoked = await revokeRoleAssignments(tx, role.key)
    await tx.delete(roles).where(eq(roles.key, role.key))
    await audit(tx, ctx, {
      action: 'role.deleted',
      target: { type: 'role', key: role.key, label: role.name },
      before: { name: role.name, description: role.description, permissions: grantStrings(permissions, catalogue) },
      details: { grantsRevoked: revoked.grants, usersAffected: revoked.users, impact: impactSummary(impact) },
    })
    return { grantsRevoked: revoked.grants, usersAffected: revoked.users }
  })
}
