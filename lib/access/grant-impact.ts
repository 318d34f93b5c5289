import 'server-only'
import { and, eq, isNull } from 'drizzle-orm'
import { apps, roleAssignments, rolePermissions } from '@/db/schema'
import type { Tx } from '@/db/client'
import { catalogueFor, requirePermission } from '../authz'
import { permissionDefs } from '../authz/catalogue'
import { periodState } from '../authz/evaluate'
import type { Catalogue, GrantedPermission } from '../authz/model'
import { nowOf, withTransaction, type Ctx } from '../context'
import { coverageOf, lostCoverage, stageCodes, type Coverage } from '../roles/coverage'
import { parse } from '../validation'
import { setRoleGrantSchema } from './schemas'

const slugByKey = new Map(permissionDefs.map((p) => [p.key, p.slug]))

async function permissionsOf(tx: Tx, roleKey: string | null): Promise<GrantedPermission[]> {
  if (!roleKey) return []
  const rows = await tx.select({ permissionKey: rolePermissions.permissionKey, stageKeys: rolePermissions.stageKeys }).from(rolePermissions).where(eq(rolePermissions.roleKey, roleKey))
  return rows.flatMap((r) => (slugByKey.has(r.permissionKey) ? [{ slug: slugByKey.get(r.permissionKey)!, stageKeys: r.stageKeys }] : []))
}

function union(a: Coverage, b: Coverage): Coverage {
  const out: Coverage = new Map(a)
  for (const [slug, stagesB] of b) {
    const stagesA = out.get(slug)
    out.set(slug, !out.has(slug) ? stagesB : stagesA === null || stagesB === null ? null : [...new Set([...stagesA!, ...stagesB])])
  }
  return out
}

function describe(lost: Coverage, catalogue: Catalogue, where: string): string[] {
  return [...lost].map(([slug, stageKeys]) => {
    const def = catalogue.permissions.get(slug)!
    const stagesText = stageKeys === null ? '' : ` in ${stageCodes(stageKeys, catalogue)!.join(', ')}`
    return `${def.category} · ${def.name}${stagesText}${where}`
  })
}

/**
 * What a user would lose if a role grant changed as proposed ("Impact before harm"): permissions
 * (with stages) the grant gives now and would not give after, less what their other grants still
 * give at that scope. Empty when the change only adds.
 */
export async function previewRoleGrant(ctx: Ctx, input: unknown): Promise<{ losses: string[] }> {
  const { userKey, appKey, roleKey, startsAt, endsAt } = parse(setRoleGrantSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_member_access')
    const catalogue = await catalogueFor(tx, ctx)
    const now = nowOf(ctx)
    const grants = await tx
      .select({ roleKey: roleAssignments.roleKey, appKey: roleAssignments.appKey, startsAt: roleAssignments.startsAt, endsAt: roleAssignments.endsAt })
      .from(roleAssignments)
      .where(and(eq(roleAssignments.userKey, userKey), appKey ? undefined : isNull(roleAssignments.appKey)))
    const active = (g: { startsAt: Date | null; endsAt: Date | null }) => periodState(g, now) === 'active'
    const current = grants.find((g) => g.appKey === appKey)
    const scope = appKey ? 'app' : 'organization'
    const before = current && active(current) ? coverageOf(await permissionsOf(tx, current.roleKey), catalogue, scope) : new Map()
    let after: Coverage = roleKey && active({ startsAt, endsAt }) ? coverageOf(await permissionsOf(tx, roleKey), catalogue, scope) : new Map()
    let where = ''
    if (appKey) {
      // The organization-scope role keeps applying to this app.
      const org = grants.find((g) => g.appKey === null)
      if (org && active(org)) after = union(after, coverageOf(await permissionsOf(tx, org.roleKey), catalogue, 'app'))
      const [app] = await tx.select({ name: apps.name }).from(apps).where(eq(apps.key, appKey))
      where = ` for ${app?.name ?? 'the app'}`
    }
    return { losses: describe(lostCoverage(before, after, [...catalogue.stages.keys()]), catalogue, where) }
  })
}
