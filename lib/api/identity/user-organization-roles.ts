import 'server-only'
import { and, asc, count, eq, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import type { Tx } from '@/db/client'
import { apps, roleAssignments, roles } from '@/db/schema'
import { setRoleGrant } from '../../access/grants'
import { hasPermission, requirePermission } from '../../authz'
import { withTransaction, type Ctx } from '../../context'
import { NotFoundError, ValidationError } from '../../errors'
import { findUserForUpdate } from '../../users/guards'
import { parse, uuidSchema } from '../../validation'
import { arrayParam, listResponse, limitParam, offsetParam, querySchema } from '../query'
import { enumParam } from './application-roles'
import { requireVisibleUser } from './user-roles'

// A user's organization roles through ODC's identity API (API-13..API-15, API-S10). A member holds
// at most one role at organization scope and one per app (ROLE-4); `assetKey` null is the
// organization scope. Every grant and revocation goes through setRoleGrant, the portal's rule, so
// the lockout protection of AUTHZ-6 (nobody demotes themselves, the last administrator stays) holds
// here too. Gatehouse has one portfolio: `portfolioKey` is null in responses and ignored in requests.

const userKeyParams = z.object({ key: uuidSchema })
const grantParams = z.object({ key: uuidSchema, roleKey: uuidSchema })

export const userOrganizationRolesQuery = querySchema({
  scopes: arrayParam(enumParam(['Organization', 'Asset'] as const)),
  assetKeys: arrayParam(uuidSchema),
  offset: offsetParam,
  limit: limitParam,
})

export type OrganizationRoleByUserResponse = {
  key: string
  name: string | null
  grantPeriod: { startTime: string | null; endTime: string | null } | null
  assetKey: string | null
  portfolioKey: null
}

const iso = (d: Date | null) => d?.toISOString() ?? null

/**
 * GET /users/{key}/organization-roles: the organization-scope grant first, then app grants by app
 * name. Scheduled and expired grants are listed with their period. `assetKeys` narrows the app
 * grants and leaves out the organization-scope one unless `scopes` names Organization.
 */
export async function queryUserOrganizationRoles(ctx: Ctx, params: unknown, query: z.infer<typeof userOrganizationRolesQuery.schema>) {
  const { key } = parse(userKeyParams, params)
  return withTransaction(ctx, async (tx, ctx) => {
    // A signed-in member may always read their own roles.
    const own = ctx.actor?.type === 'user' && ctx.actor.userKey === key
    if (!own) {
      if (!(await hasPermission(tx, ctx, 'users.manage'))) await requirePermission(tx, ctx, 'users.view_members')
      await requireVisibleUser(tx, ctx, key)
    }
    const organization = query.scopes ? query.scopes.includes('Organization') : !query.assetKeys
    const asset = !query.scopes || query.scopes.includes('Asset')
    const scope = or(
      organization ? isNull(roleAssignments.appKey) : undefined,
      asset ? and(isNotNull(roleAssignments.appKey), query.assetKeys ? inArray(roleAssignments.appKey, query.assetKeys) : undefined) : undefined,
    )
    const where = and(eq(roleAssignments.userKey, key), scope ?? sql`false`)
    const rows = await tx
      .select({ key: roles.key, name: roles.name, startsAt: roleAssignments.startsAt, endsAt: roleAssignments.endsAt, assetKey: roleAssignments.appKey })
      .from(roleAssignments)
      .innerJoin(roles, eq(roles.key, roleAssignments.roleKey))
      .leftJoin(apps, eq(apps.key, roleAssignments.appKey))
      .where(where)
      .orderBy(asc(sql`${roleAssignments.appKey} is not null`), asc(sql`lower(${apps.name})`), asc(roleAssignments.appKey))
      .limit(query.limit)
      .offset(query.offset)
    const [{ n }] = await tx.select({ n: count() }).from(roleAssignments).where(where)
    const results: OrganizationRoleByUserResponse[] = rows.map((r) => ({
      key: r.key,
      name: r.name,
      grantPeriod: r.startsAt || r.endsAt ? { startTime: iso(r.startsAt), endTime: iso(r.endsAt) } : null,
      assetKey: r.assetKey,
      portfolioKey: null,
    }))
    return listResponse(results, query, n)
  })
}

const dateTime = z.iso.datetime({ offset: true, local: true, error: 'Must be an ISO 8601 date-time in UTC, like 2026-01-31T09:00:00Z.' })

/** GrantDetailsRequest (additionalProperties: false). */
export const grantDetailsBody = z.strictObject({
  grantPeriod: z.strictObject({ startTime: dateTime.nullish(), endTime: dateTime.nullish() }).nullish(),
  assetKeys: z.array(uuidSchema).max(100, 'At most 100 asset keys.').nullish(),
  portfolioKey: uuidSchema.nullish(),
})

/** RevokeDetailsRequest (additionalProperties: false). */
export const revokeDetailsBody = z.strictObject({ assetKeys: z.array(uuidSchema).max(100, 'At most 100 asset keys.').nullish() })

// A time without a zone is read as UTC, as the contract says all times are.
const utc = (v: string | null | undefined) => (v ? new Date(/(?:Z|[+-]\d\d:?\d\d)$/i.test(v) ? v : `${v}Z`).toISOString() : undefined)

/** The role, the user (locked) and the apps a grant or revocation names: 404 for the path's keys, 400 for the body's. */
async function loadTargets(tx: Tx, userKey: string, roleKey: string, assetKeys: string[]): Promise<void> {
  const [role] = await tx.select({ key: roles.key }).from(roles).where(eq(roles.key, roleKey))
  if (!role) throw new NotFoundError('The organization role')
  await findUserForUpdate(tx, userKey)
  if (!assetKeys.length) return
  const found = new Set((await tx.select({ key: apps.key }).from(apps).where(inArray(apps.key, assetKeys))).map((a) => a.key))
  const unknown = assetKeys.filter((k) => !found.has(k))
  if (unknown.length) throw new ValidationError('Some fields need attention.', { assetKeys: unknown.map((k) => `No app has the key ${k}.`) })
}

/**
 * POST /users/{key}/organization-roles/{roleKey}: no assetKeys grants the role at organization
 * scope, replacing the current one (SPEC §12); assetKeys grant it for each app, replacing that
 * app's role. All grants or none. Granting the same role and period again changes nothing, and a
 * user with no role yet (an end-user) becomes a member, as in the portal.
 */
export async function grantOrganizationRoleToUser(ctx: Ctx, params: unknown, body: z.infer<typeof grantDetailsBody>): Promise<void> {
  const { key, roleKey } = parse(grantParams, params)
  const startsAt = utc(body.grantPeriod?.startTime)
  const endsAt = utc(body.grantPeriod?.endTime)
  if (startsAt && endsAt && endsAt <= startsAt) throw new ValidationError('Some fields need attention.', { 'grantPeriod.endTime': ['The end must be after the start.'] })
  const assetKeys = [...new Set(body.assetKeys ?? [])]
  await withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_member_access')
    await loadTargets(tx, key, roleKey, assetKeys)
    if (!assetKeys.length) await setRoleGrant(ctx, { userKey: key, roleKey, startsAt, endsAt })
    for (const appKey of assetKeys) await setRoleGrant(ctx, { userKey: key, appKey, roleKey, startsAt, endsAt })
  })
}

/**
 * DELETE /users/{key}/organization-roles/{roleKey}: no assetKeys revokes the role at organization
 * scope, otherwise at each app named. A scope where the user holds another role (or none) is left
 * as it is, so repeating a revocation is harmless.
 */
export async function revokeOrganizationRoleForUser(ctx: Ctx, params: unknown, body: z.infer<typeof revokeDetailsBody>): Promise<void> {
  const { key, roleKey } = parse(grantParams, params)
  const assetKeys = [...new Set(body.assetKeys ?? [])]
  await withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_member_access')
    await loadTargets(tx, key, roleKey, assetKeys)
    const scope: SQL = assetKeys.length ? inArray(roleAssignments.appKey, assetKeys) : isNull(roleAssignments.appKey)
    const held = await tx
      .select({ appKey: roleAssignments.appKey })
      .from(roleAssignments)
      .where(and(eq(roleAssignments.userKey, key), eq(roleAssignments.roleKey, roleKey), scope))
    for (const h of held) await setRoleGrant(ctx, { userKey: key, appKey: h.appKey ?? undefined, roleKey: '' })
  })
}
