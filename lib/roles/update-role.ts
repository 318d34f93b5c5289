import 'server-only'
import { and, eq, sql } from 'drizzle-orm'
import { roles } from '@/db/schema'
import { audit, diff } from '../audit/record'
import { catalogueFor, requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { ConflictError } from '../errors'
import { parse } from '../validation'
import { grantStrings } from './coverage'
import { computeImpact, impactSummary, type RoleImpact } from './impact'
import { findRole, loadRoleGrants, normalizeGrants, refuseReadOnly, refuseTakenName, replaceRoleGrants, uniqueNameError } from './role-store'
import { updateRoleSchema } from './schemas'

export const STALE_ROLE_MESSAGE = 'This role was changed by someone else while you were editing. Reload to see their changes.'

/**
 * Renames, redescribes and re-permissions a custom role. The form names the version it started
 * from: a save over someone else's save is refused, never silently merged or lost. The impact on
 * the role's holders is recomputed here, whatever the preview showed, and recorded in the audit event.
 */
export async function updateRole(ctx: Ctx, input: unknown): Promise<{ version: number; impact: RoleImpact }> {
  const p = parse(updateRoleSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_roles')
    // The row lock makes a concurrent save wait here and then see the version this one wrote.
    const role = await findRole(tx, p.roleKey, { forUpdate: true })
    refuseReadOnly(role, 'changed')
    if (role.version !== p.version) throw new ConflictError(STALE_ROLE_MESSAGE)
    const catalogue = await catalogueFor(tx, ctx)
    const grants = normalizeGrants(p.permissions, catalogue)
    await refuseTakenName(tx, p.name, role.key)
    const current = await loadRoleGrants(tx, role.key)
    const before = { name: role.name, description: role.description, permissions: grantStrings(current, catalogue) }
    const after = { name: p.name, description: p.description, permissions: grantStrings(grants, catalogue) }
    const changes = diff(before, after)
    const impact = await computeImpact(tx, role, current, grants, catalogue, nowOf(ctx))
    if (Object.keys(changes.after).length === 0) return { version: role.version, impact }

    const updated = await tx
      .update(roles)
      .set({ name: p.name, description: p.description, version: sql`${roles.version} + 1`, updatedAt: nowOf(ctx) })
      .where(and(eq(roles.key, role.key), eq(roles.version, p.version)))
      .returning({ version: roles.version })
      .catch(uniqueNameError)
    if (updated.length !== 1) throw new ConflictError(STALE_ROLE_MESSAGE)
    if (changes.after.permissions !== undefined) await replaceRoleGrants(tx, role.key, grants)
    await audit(tx, ctx, {
      action: 'role.updated',
      target: { type: 'role', key: role.key, label: p.name },
      ...changes,
      details: impact.lost.length ? { impact: impactSummary(impact) } : undefined,
    })
    return { version: updated[0].version, impact }
  })
}
