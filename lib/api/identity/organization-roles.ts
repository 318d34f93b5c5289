import 'server-only'
import { and, asc, count, desc, eq, exists, inArray, sql } from 'drizzle-orm'
import { z } from 'zod'
import { roleAssignments, rolePermissions, roles, users } from '@/db/schema'
import { requirePermission } from '../../authz'
import { claimNames, permissionDefs, permissionsBySlug } from '../../authz/catalogue'
import type { GrantedPermission } from '../../authz/model'
import { withTransaction, type Ctx } from '../../context'
import { ConflictError, ValidationError } from '../../errors'
import { createRole } from '../../roles/create-role'
import { deleteRole } from '../../roles/delete-role'
import { requireRoleViewer } from '../../roles/access'
import { BuiltInRoleError, findRole, loadRoleGrants, RoleNameTakenError } from '../../roles/role-store'
import type { GrantInput } from '../../roles/schemas'
import { updateRole } from '../../roles/update-role'
import { escapeLike, parse, uuidSchema } from '../../validation'
import { arrayParam, listResponse, limitParam, offsetParam, querySchema, sortParam } from '../query'
import { nameOrEmailConditions, ROLE_HOLDER_SORTS, roleHolderPage } from './role-holders'

// Organization roles through ODC's identity API (API-30..API-35, API-S9). Every rule lives in the
// lib/roles use cases; this file maps ODC's shapes onto them: a permission is named by its registry
// key, a stage is an environment, and there are no portfolio-limited permissions (allowPortfolios
// is false for the whole registry).

export type OrgRolePermission = { permissionKey: string; environmentKeys: string[]; portfolioKeys: string[]; claimName: string | null; name: string | null }
export type OrganizationRoleResponse = { key: string; name: string | null; permissions: OrgRolePermission[]; isReadOnly: boolean }

const slugByKey = new Map(permissionDefs.map((p) => [p.key, p.slug]))

const permissionDetails = z.strictObject({
  permissionKey: uuidSchema,
  environmentKeys: z.array(uuidSchema).max(100).nullish(),
  portfolioKeys: z.array(uuidSchema).max(100).nullish(),
  claimName: z.string().nullish(),
  name: z.string().nullish(),
})

/** OrganizationRoleCreateRequest and OrganizationRoleUpdateRequest have the same fields. */
export const organizationRoleBody = z.strictObject({
  name: z.string().nullish(),
  permissions: z.array(permissionDetails).max(500).nullish(),
})
export type OrganizationRoleBody = z.infer<typeof organizationRoleBody>

const keyParams = z.object({ key: uuidSchema })

export const organizationRolesQuery = querySchema({
  roleKey: uuidSchema.optional(),
  nameContains: z.string().max(200).optional(),
  sort: sortParam(['name'], 'name'),
  offset: offsetParam,
  limit: limitParam,
})

const EMBEDS = ['applicationroles', 'useridentityproviders'] as const
export const usersByRoleQuery = querySchema({
  nameOrEmailContains: z.string().max(200).optional(),
  nameOrEmailOrUsernameContains: z.string().max(200).optional(),
  sort: sortParam(ROLE_HOLDER_SORTS, 'name'),
  embed: arrayParam(
    z
      .string()
      .transform((v) => v.toLowerCase())
      .pipe(z.enum(EMBEDS, { error: 'embed must be applicationRoles or userIdentityProviders.' })),
  ),
  offset: offsetParam,
  limit: limitParam,
})

function permissionsOut(grants: GrantedPermission[]): OrgRolePermission[] {
  return grants.map((g) => {
    const def = permissionsBySlug.get(g.slug)!
    return { permissionKey: def.key, environmentKeys: g.stageKeys ?? [], portfolioKeys: [], claimName: claimNames.get(g.slug) ?? null, name: def.name }
  })
}

/** ODC's permission details as the use cases' selection: empty environmentKeys means every stage. */
function permissionsIn(details: NonNullable<OrganizationRoleBody['permissions']>): GrantInput[] {
  const errors: string[] = []
  const out: GrantInput[] = []
  for (const d of details) {
    const slug = slugByKey.get(d.permissionKey)
    if (!slug) errors.push(`${d.permissionKey} is not a permission key. GET /permissions lists them.`)
    else if (d.portfolioKeys?.length) errors.push(`${d.permissionKey} cannot be limited to portfolios.`)
    else out.push({ slug, stageKeys: d.environmentKeys?.length ? d.environmentKeys : null })
  }
  if (errors.length) throw new ValidationError('Some permissions need attention.', { permissions: errors })
  return out
}

/** The two refusals ODC declares as conflicts. */
function asConflict(error: unknown): never {
  if (error instanceof RoleNameTakenError) throw new ConflictError('Another organization role already has this name.', error.fieldErrors)
  if (error instanceof BuiltInRoleError) throw new ConflictError(error.message)
  throw error
}

/** GET /organization-roles: by name (case-insensitive), ties by key. */
export async function queryOrganizationRoles(ctx: Ctx, query: z.infer<typeof organizationRolesQuery.schema>) {
  return withTransaction(ctx, async (tx, ctx) => {
    await requireRoleViewer(tx, ctx)
    const term = query.nameContains?.trim()
    const where = and(query.roleKey ? eq(roles.key, query.roleKey) : undefined, term ? sql`lower(${roles.name}) like ${`%${escapeLike(term.toLowerCase())}%`}` : undefined)
    const direction = query.sort.direction === 'desc' ? desc : asc
    const rows = await tx
      .select({ key: roles.key, name: roles.name, isReadOnly: roles.isReadOnly })
      .from(roles)
      .where(where)
      .orderBy(direction(sql`lower(${roles.name})`), direction(roles.key))
      .limit(query.limit)
      .offset(query.offset)
    const [{ n }] = await tx.select({ n: count() }).from(roles).where(where)
    const grantRows = rows.length
      ? await tx.select({ roleKey: rolePermissions.roleKey, permissionKey: rolePermissions.permissionKey, stageKeys: rolePermissions.stageKeys }).from(rolePermissions).where(inArray(rolePermissions.roleKey, rows.map((r) => r.key)))
      : []
    const results = rows.map((r) => {
      const grants = grantRows
        .filter((g) => g.roleKey === r.key && slugByKey.has(g.permissionKey))
        .map((g) => ({ slug: slugByKey.get(g.permissionKey)!, stageKeys: g.stageKeys }))
        .sort((a, b) => permissionsBySlug.get(a.slug)!.position - permissionsBySlug.get(b.slug)!.position)
      return { key: r.key, name: r.name, permissions: permissionsOut(grants), isReadOnly: r.isReadOnly }
    })
    return listResponse(results, query, n)
  })
}

/** GET /organization-roles/{key}. */
export async function readOrganizationRole(ctx: Ctx, params: unknown): Promise<OrganizationRoleResponse> {
  const { key } = parse(keyParams, params)
  return withTransaction(ctx, async (tx, ctx) => {
    await requireRoleViewer(tx, ctx)
    const role = await findRole(tx, key)
    return { key: role.key, name: role.name, permissions: permissionsOut(await loadRoleGrants(tx, key)), isReadOnly: role.isReadOnly }
  })
}

/** POST /organization-roles → { orgRoleKey }. */
export async function createOrganizationRole(ctx: Ctx, body: OrganizationRoleBody): Promise<{ orgRoleKey: string }> {
  return withTransaction(ctx, async (tx, ctx) => {
    // The permission first, so a client without it learns nothing about names or keys.
    await requirePermission(tx, ctx, 'users.manage_roles')
    const { roleKey } = await createRole(ctx, { name: body.name ?? '', permissions: permissionsIn(body.permissions ?? []) }).catch(asConflict)
    return { orgRoleKey: roleKey }
  })
}

/** PATCH /organization-roles/{key}: a null or absent field is left as it is (REST-12). */
export async function updateOrganizationRole(ctx: Ctx, params: unknown, body: OrganizationRoleBody): Promise<void> {
  const { key } = parse(keyParams, params)
  await withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_roles')
    const role = await findRole(tx, key)
    const permissions = body.permissions ? permissionsIn(body.permissions) : await loadRoleGrants(tx, key)
    await updateRole(ctx, { roleKey: key, version: role.version, name: body.name ?? role.name, description: role.description, permissions }).catch(asConflict)
  })
}

/** DELETE /organization-roles/{key}: built-in roles are refused by the use case (403, ODC declares no 409 here). */
export async function deleteOrganizationRole(ctx: Ctx, params: unknown): Promise<void> {
  const { key } = parse(keyParams, params)
  await deleteRole(ctx, { roleKey: key })
}

/** GET /organization-roles/{key}/users: each user holding the role, at organization or app scope, once. */
export async function queryUsersByRole(ctx: Ctx, params: unknown, query: z.infer<typeof usersByRoleQuery.schema>) {
  const { key } = parse(keyParams, params)
  if (query.embed?.length) throw new ValidationError('Some query parameters are not valid.', { embed: ['embed is not supported on this endpoint yet.'] })
  return withTransaction(ctx, async (tx, ctx) => {
    await requireRoleViewer(tx, ctx)
    await findRole(tx, key)
    const holdsRole = exists(tx.select({ one: sql`1` }).from(roleAssignments).where(and(eq(roleAssignments.roleKey, key), eq(roleAssignments.userKey, users.key))))
    const { holders, total } = await roleHolderPage(tx, and(holdsRole, ...nameOrEmailConditions(query)), query)
    return listResponse(holders, query, total)
  })
}
