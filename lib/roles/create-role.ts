import 'server-only'
import { roles } from '@/db/schema'
import { audit } from '../audit/record'
import { catalogueFor, requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { parse } from '../validation'
import { grantStrings } from './coverage'
import { normalizeGrants, refuseTakenName, replaceRoleGrants, uniqueNameError } from './role-store'
import { createRoleSchema } from './schemas'

/** Creates a custom organization role (ROLE-3). Only the explicitly selected permissions are stored. */
export async function createRole(ctx: Ctx, input: unknown): Promise<{ roleKey: string }> {
  const p = parse(createRoleSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_roles')
    const catalogue = await catalogueFor(tx, ctx)
    const grants = normalizeGrants(p.permissions, catalogue)
    await refuseTakenName(tx, p.name)
    const now = nowOf(ctx)
    const [role] = await tx
      .insert(roles)
      .values({ name: p.name, description: p.description, createdAt: now, updatedAt: now })
      .returning({ key: roles.key })
      .catch(uniqueNameError)
    await replaceRoleGrants(tx, role.key, grants)
    await audit(tx, ctx, {
      action: 'role.created',
      target: { type: 'role', key: role.key, label: p.name },
      after: { name: p.name, description: p.description, permissions: grantStrings(grants, catalogue) },
    })
    return { roleKey: role.key }
  })
}
