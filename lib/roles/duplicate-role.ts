import 'server-only'
import { sql } from 'drizzle-orm'
import { roles } from '@/db/schema'
import type { Tx } from '@/db/client'
import { audit } from '../audit/record'
import { catalogueFor, requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { parse } from '../validation'
import { grantStrings } from './coverage'
import { findRole, loadRoleGrants, replaceRoleGrants, uniqueNameError } from './role-store'
import { ROLE_NAME_MAX, roleKeySchema } from './schemas'

/** "Copy of Developer", then "Copy of Developer (2)", … — the first name no role has (any case). */
async function freeCopyName(tx: Tx, name: string): Promise<string> {
  const candidate = (n: number) => {
    const suffix = n === 1 ? '' : ` (${n})`
    return `Copy of ${name}`.slice(0, ROLE_NAME_MAX - suffix.length).trimEnd() + suffix
  }
  const base = candidate(1).toLowerCase()
  const taken = await tx
    .select({ name: sql<string>`lower(${roles.name})` })
    .from(roles)
    .where(sql`lower(${roles.name}) like ${base.replace(/[\\%_]/g, (c) => `\\${c}`) + '%'}`)
  const names = new Set(taken.map((r) => r.name))
  for (let n = 1; ; n++) if (!names.has(candidate(n).toLowerCase())) return candidate(n)
}

/** Copies a role — built-in or custom — into a new custom role with the same permissions (ROLE-2). */
export async function duplicateRole(ctx: Ctx, input: unknown): Promise<{ roleKey: string; name: string }> {
  const { roleKey } = parse(roleKeySchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_roles')
    const source = await findRole(tx, roleKey)
    const permissions = await loadRoleGrants(tx, source.key)
    const name = await freeCopyName(tx, source.name)
    const now = nowOf(ctx)
    const [role] = await tx
      .insert(roles)
      .values({ name, description: source.description, createdAt: now, updatedAt: now })
      .returning({ key: roles.key })
      .catch(uniqueNameError)
    await replaceRoleGrants(tx, role.key, permissions)
    const catalogue = await catalogueFor(tx, ctx)
    await audit(tx, ctx, {
      action: 'role.duplicated',
      target: { type: 'role', key: role.key, label: name },
      after: { name, description: source.description, permissions: grantStrings(permissions, catalogue) },
      details: { source: { key: source.key, name: source.name } },
    })
    return { roleKey: role.key, name }
  })
}
