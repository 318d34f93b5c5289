import 'server-only'
import { and, asc, eq, inArray, isNull, or, gt, lte } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { apiClientPermissions, apps, rolePermissions, roleAssignments, roles, stages } from '@/db/schema'
import { permissionsBySlug, permissionDefs } from './catalogue'
import type { Catalogue, Grant, Principal } from './model'

const slugByKey = new Map(permissionDefs.map((p) => [p.key, p.slug]))

export async function loadCatalogue(tx: Tx): Promise<Catalogue> {
  const rows = await tx.select({ key: stages.key, code: stages.code, name: stages.name }).from(stages).orderBy(asc(stages.position))
  return { permissions: permissionsBySlug, stages: new Map(rows.map((s) => [s.key, s])) }
}

/**
 * Every organization role grant of one user, with the role's permissions, in two queries whatever
 * the number of grants. Grants outside their period are loaded too: the evaluator explains them.
 */
export async function loadUserGrants(tx: Tx, userKey: string): Promise<Grant[]> {
  const assignments = await tx
    .select({
      roleKey: roleAssignments.roleKey,
      roleName: roles.name,
      appKey: roleAssignments.appKey,
      appName: apps.name,
      startsAt: roleAssignments.startsAt,
      endsAt: roleAssignments.endsAt,
    })
    .from(roleAssignments)
    .innerJoin(roles, eq(roles.key, roleAssignments.roleKey))
    .leftJoin(apps, eq(apps.key, roleAssignments.appKey))
    .where(eq(roleAssignments.userKey, userKey))
  if (assignments.length === 0) return []
  const roleKeys = [...new Set(assignments.map((a) => a.roleKey))]
  const perms = await tx
    .select({ roleKey: rolePermissions.roleKey, permissionKey: rolePermissions.permissionKey, stageKeys: rolePermissions.stageKeys })
    .from(rolePermissions)
    .where(inArray(rolePermissions.roleKey, roleKeys))
  return assignments.map((a) => ({
    ...a,
    permissions: perms
      .filter((p) => p.roleKey === a.roleKey && slugByKey.has(p.permissionKey))
      .map((p) => ({ slug: slugByKey.get(p.permissionKey)!, stageKeys: p.stageKeys })),
  }))
}

export async function loadUserPrincipal(tx: Tx, user: { key: string; label: string }): Promise<Principal> {
  return { type: 'user', key: user.key, label: user.label, grants: await loadUserGrants(tx, user.key) }
}

/**
 * An API client's permissions as one organization-scope grant (APIC-2): the same registry, stage
 * limits and inheritance as a role, evaluated by the same evaluator.
 */
export async function loadApiClientPrincipal(tx: Tx, client: { key: string; label: string }): Promise<Principal> {
  const perms = await tx
    .select({ permissionKey: apiClientPermissions.permissionKey, stageKeys: apiClientPermissions.stageKeys })
    .from(apiClientPermissions)
    .where(eq(apiClientPermissions.clientKey, client.key))
  const grant: Grant = {
    roleKey: client.key,
    roleName: `API client ${client.label}`,
    appKey: null,
    appName: null,
    startsAt: null,
    endsAt: null,
    permissions: perms.filter((p) => slugByKey.has(p.permissionKey)).map((p) => ({ slug: slugByKey.get(p.permissionKey)!, stageKeys: p.stageKeys })),
  }
  return { type: 'api_client', key: client.key, label: client.label, grants: [grant] }
}

/** Organization-scope grants whose period includes `now`. */
export function activeOrgGrantCondition(now: Date) {
  return and(
    isNull(roleAssignments.appKey),
    or(isNull(roleAssignments.startsAt), lte(roleAssignments.startsAt, now)),
    or(isNull(roleAssignments.endsAt), gt(roleAssignments.endsAt, now)),
  )
}
