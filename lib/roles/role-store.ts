import 'server-only'
import { and, eq, gt, isNull, ne, or, sql } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { roleAssignments, rolePermissions, roles, users } from '@/db/schema'
import { permissionDefs, permissionsBySlug } from '../authz/catalogue'
import type { Catalogue, GrantedPermission } from '../authz/model'
import { ForbiddenError, NotFoundError, ValidationError } from '../errors'
import { isUniqueViolation } from '../db-errors'
import type { GrantInput } from './schemas'

const slugByKey = new Map(permissionDefs.map((p) => [p.key, p.slug]))

export async function findRole(tx: Tx, roleKey: string, opts: { forUpdate?: boolean } = {}) {
  const query = tx.select().from(roles).where(eq(roles.key, roleKey))
  const [role] = opts.forUpdate ? await query.for('update') : await query
  if (!role) throw new NotFoundError('The role')
  return role
}

/** A change to a built-in role was refused; the REST API answers PATCH with its declared 409. */
export class BuiltInRoleError extends ForbiddenError {}

/** Built-in roles (Administrator, Developer) are never edited or deleted (ROLE-1). */
export function refuseReadOnly(role: { isReadOnly: boolean; name: string }, what: string): void {
  if (role.isReadOnly) throw new BuiltInRoleError(`“${role.name}” is a built-in role and cannot be ${what}. Duplicate it to make a custom role you can change.`)
}

export async function loadRoleGrants(tx: Tx, roleKey: string): Promise<GrantedPermission[]> {
  const rows = await tx.select({ permissionKey: rolePermissions.permissionKey, stageKeys: rolePermissions.stageKeys }).from(rolePermissions).where(eq(rolePermissions.roleKey, roleKey))
  return rows
    .filter((r) => slugByKey.has(r.permissionKey))
    .map((r) => ({ slug: slugByKey.get(r.permissionKey)!, stageKeys: r.stageKeys }))
    .sort((a, b) => permissionsBySlug.get(a.slug)!.position - permissionsBySlug.get(b.slug)!.position)
}

/**
 * Checks a selection against the registry and the stages: known permissions, each once, stage
 * limits only where the permission allows them, existing stages. Stage lists come back in stage order.
 */
export function normalizeGrants(input: GrantInput[], catalogue: Catalogue): GrantedPermission[] {
  const errors: string[] = []
  const seen = new Set<string>()
  const order = [...catalogue.stages.keys()]
  const out: GrantedPermission[] = []
  for (const g of input) {
    const def = catalogue.permissions.get(g.slug)
    if (!def) {
      errors.push(`“${g.slug}” is not a permission in the registry.`)
      continue
    }
    if (seen.has(g.slug)) continue
    seen.add(g.slug)
    let stageKeys = g.stageKeys ?? null
    if (stageKeys !== null) {
      if (!def.allowStages) {
        errors.push(`${def.category} · ${def.name} cannot be limited to stages.`)
        continue
      }
      const unknown = stageKeys.filter((s) => !catalogue.stages.has(s))
      if (unknown.length) {
        errors.push(`A stage chosen for ${def.category} · ${def.name} no longer exists. Reload and choose again.`)
        continue
      }
      stageKeys = [...new Set(stageKeys)].sort((a, b) => order.indexOf(a) - order.indexOf(b))
    }
    out.push({ slug: g.slug, stageKeys })
  }
  if (errors.length) throw new ValidationError('Some permissions need attention.', { permissions: errors })
  return out.sort((a, b) => catalogue.permissions.get(a.slug)!.position - catalogue.permissions.get(b.slug)!.position)
}

export async function replaceRoleGrants(tx: Tx, roleKey: string, grants: GrantedPermission[]): Promise<void> {
  await tx.delete(rolePermissions).where(eq(rolePermissions.roleKey, roleKey))
  if (grants.length === 0) return
  await tx.insert(rolePermissions).values(grants.map((g) => ({ roleKey, permissionKey: permissionsBySlug.get(g.slug)!.key, stageKeys: g.stageKeys })))
}

/** The name belongs to another role; the REST API answers it with its declared 409. */
export class RoleNameTakenError extends ValidationError {}

const nameTaken = () => new RoleNameTakenError('Choose another name.', { name: ['Another role already has this name.'] })

/** Role names are unique whatever their case (ROLE-3); the unique index is the final word. */
export async function refuseTakenName(tx: Tx, name: string, exceptKey?: string): Promise<void> {
  const [row] = await tx
    .select({ key: roles.key })
    .from(roles)
    .where(and(sql`lower(${roles.name}) = lower(${name})`, exceptKey ? ne(roles.key, exceptKey) : undefined))
  if (row) throw nameTaken()
}

/** Maps a lost race on the name index to the same field error as the check before it. */
export function uniqueNameError(error: unknown): never {
  if (isUniqueViolation(error, 'roles_name_unique')) throw nameTaken()
  throw error
}

/** Grants that confer something now or later: expired grants confer nothing, so they lose nothing. */
export const notExpired = (now: Date) => or(isNull(roleAssignments.endsAt), gt(roleAssignments.endsAt, now))

export type HolderCounts = { organization: number; app: number; total: number }

/** Distinct users holding the role at organization scope, at app scope, and either, in one query. */
export async function holderCounts(tx: Tx, roleKey: string, now: Date): Promise<HolderCounts> {
  const [row] = await tx
    .select({
      organization: sql<number>`count(distinct ${roleAssignments.userKey}) filter (where ${roleAssignments.appKey} is null)`.mapWith(Number),
      app: sql<number>`count(distinct ${roleAssignments.userKey}) filter (where ${roleAssignments.appKey} is not null)`.mapWith(Number),
      total: sql<number>`count(distinct ${roleAssignments.userKey})`.mapWith(Number),
    })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.roleKey, roleKey), notExpired(now)))
  return row
}

/**
 * Revokes every grant of the role and refreshes users.is_member for the users who held it, in one
 * statement whatever their number. The update's subquery reads the snapshot from before the delete,
 * hence the explicit exclusion of the role's own grants.
 */
export async function revokeRoleAssignments(tx: Tx, roleKey: string): Promise<{ grants: number; users: number }> {
  const result = await tx.execute(sql`
    with gone as (
      delete from ${roleAssignments} where ${roleAssignments.roleKey} = ${roleKey} returning ${roleAssignments.userKey} as user_key
    ), refreshed as (
      update ${users} set is_member = exists (
        select 1 from ${roleAssignments} ra where ra.user_key = ${users.key} and ra.role_key <> ${roleKey}
      )
      where ${users.key} in (select user_key from gone)
      returning 1
    )
    select (select count(*) from gone)::int as grants, (select count(distinct user_key) from gone)::int as users`)
  return result.rows[0] as { grants: number; users: number }
}
