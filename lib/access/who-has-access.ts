import 'server-only'
import { and, eq, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import type { Tx } from '@/db/client'
import { appRoleInstances, appRoles, apps, appStages, endUserRoleAssignments, groupMembers, groupRoles, groups, roleAssignments, rolePermissions, roles, stages, users, type UserStatus } from '@/db/schema'
import { catalogueFor, hasPermission, requirePermission } from '../authz'
import { permissionDefs } from '../authz/catalogue'
import { conferredBy } from '../authz/evaluate'
import type { Catalogue } from '../authz/model'
import { nowOf, withTransaction, type Ctx } from '../context'
import { NotFoundError, ValidationError } from '../errors'
import { parse, uuidSchema } from '../validation'

export type AccessRow = {
  key: string
  name: string
  email: string | null
  status: UserStatus
  /** How the user has access, e.g. "Approver · direct", "Approver · group Managers", "Developer · organization role". */
  how: string[]
}
export type WhoHasAccessPage = { rows: AccessRow[]; next: string | null; app: { key: string; name: string }; stage: { key: string; code: string }; includesMembers: boolean }

const slugByKey = new Map(permissionDefs.map((p) => [p.key, p.slug]))

// Rows of the name order read first, and at most, before deciding that holders are too sparse to
// walk to (see whoHasAccess).
const FIRST_WINDOW = 2_000
const LONGEST_WALK = 6_000

export const whoHasAccessSchema = z.strictObject({
  appKey: uuidSchema,
  stageKey: uuidSchema,
  // Only holders of this application role (its key shared across stages), directly or through a group.
  appRoleKey: uuidSchema.or(z.literal('')).optional().transform((v) => v || null),
  after: z.string().max(300).optional(),
  perPage: z.coerce.number().int().catch(50).transform((n) => Math.min(1000, Math.max(10, n))).default(50),
})

type Cursor = { name: string; key: string }
const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url')
function decode(s: string | undefined): Cursor | null {
  if (!s) return null
  try {
    return z.object({ name: z.string(), key: uuidSchema }).parse(JSON.parse(Buffer.from(s, 'base64url').toString()))
  } catch {
    throw new ValidationError('That page link is no longer valid. Start from the first page.', { after: ['Invalid page cursor.'] })
  }
}

/**
 * Organization roles that give some member permission on this app in this stage: app-scope
 * permissions (only those apply to one app), within their stage limits. Roles are few; this is
 * computed in memory with the evaluator's own rules.
 */
async function rolesGrantingAppAccess(tx: Tx, catalogue: Catalogue, stageKey: string): Promise<string[]> {
  const rows = await tx.select({ roleKey: rolePermissions.roleKey, permissionKey: rolePermissions.permissionKey, stageKeys: rolePermissions.stageKeys }).from(rolePermissions)
  const byRole = new Map<string, Array<{ slug: string; stageKeys: string[] | null }>>()
  for (const r of rows) {
    const slug = slugByKey.get(r.permissionKey)
    if (slug) byRole.set(r.roleKey, [...(byRole.get(r.roleKey) ?? []), { slug, stageKeys: r.stageKeys }])
  }
  return [...byRole]
    .filter(([roleKey, permissions]) =>
      // Evaluated as an app-scope grant: only permissions that work at app scope count, as they do for an organization-scope grant on one app.
      conferredBy({ roleKey, roleName: '', appKey: 'app', appName: null, startsAt: null, endsAt: null, permissions }, catalogue).some((c) => c.stageKeys === null || c.stageKeys.includes(stageKey)),
    )
    .map(([roleKey]) => roleKey)
}

/**
 * "Who has access" for one app in one stage (AUTHZ-7): every user holding one of its end-user roles
 * there, directly or through a group, and (for viewers who may see members) every member whose
 * organization or app role gives them permissions on the app in that stage. In name order, a page
 * at a time.
 */
export async function whoHasAccess(ctx: Ctx, input: unknown): Promise<WhoHasAccessPage> {
  const p = parse(whoHasAccessSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'endusers.view', { appKey: p.appKey, stageKey: p.stageKey })
    // The app, and the stage only if the app is deployed there: one round trip.
    const [found] = await tx
      .select({ key: apps.key, name: apps.name, stageKey: stages.key, stageCode: stages.code })
      .from(apps)
      .leftJoin(appStages, and(eq(appStages.appKey, apps.key), eq(appStages.stageKey, p.stageKey)))
      .leftJoin(stages, eq(stages.key, appStages.stageKey))
      .where(eq(apps.key, p.appKey))
    if (!found) throw new NotFoundError('The app')
    if (!found.stageKey) throw new ValidationError('The app is not deployed to that stage.', { stageKey: ['Choose a stage the app is deployed to.'] })
    const app = { key: found.key, name: found.name }
    const stage = { key: found.stageKey, code: found.stageCode! }
    const includesMembers = p.appRoleKey === null && (await hasPermission(tx, ctx, 'users.view_members'))
    const now = nowOf(ctx)

    const instanceRows = await tx
      .select({ key: appRoleInstances.key })
      .from(appRoleInstances)
      .where(and(eq(appRoleInstances.appKey, p.appKey), eq(appRoleInstances.stageKey, p.stageKey), p.appRoleKey ? eq(appRoleInstances.appRoleKey, p.appRoleKey) : undefined))
    const instanceKeys = instanceRows.map((i) => i.key)
    const memberRoles = includesMembers ? await rolesGrantingAppAccess(tx, await catalogueFor(tx, ctx), p.stageKey) : []
    if (instanceKeys.length === 0 && memberRoles.length === 0) return { rows: [], next: null, app, stage, includesMembers }

    const list = (keys: string[]) => sql.join(keys.map((k) => sql`${k}::uuid`), sql`, `)
    const activeGrant = sql`(${roleAssignments.startsAt} is null or ${roleAssignments.startsAt} <= ${now}) and (${roleAssignments.endsAt} is null or ${roleAssignments.endsAt} > ${now})`
    // One EXISTS over a UNION ALL of the sources: each branch is an index probe for one user, where
    // three ORed EXISTS let the planner hash every holder of the app before testing anyone.
    const branches: SQL[] = []
    if (instanceKeys.length) {
      branches.push(sql`select 1 from ${endUserRoleAssignments} where ${endUserRoleAssignments.userKey} = u.key and ${endUserRoleAssignments.instanceKey} in (${list(instanceKeys)})`)
      branches.push(
        sql`select 1 from ${groupMembers} join ${groupRoles} on ${groupRoles.groupKey} = ${groupMembers.groupKey} where ${groupMembers.userKey} = u.key and ${groupRoles.instanceKey} in (${list(instanceKeys)})`,
      )
    }
    if (memberRoles.length) {
      // Two branches, one per partial unique index of role_assignments (organization scope, app scope).
      const qualifying = sql`${roleAssignments.roleKey} in (${list(memberRoles)}) and ${activeGrant}`
      branches.push(sql`select 1 from ${roleAssignments} where ${roleAssignments.userKey} = u.key and ${roleAssignments.appKey} is null and ${qualifying}`)
      branches.push(sql`select 1 from ${roleAssignments} where ${roleAssignments.userKey} = u.key and ${roleAssignments.appKey} = ${p.appKey} and ${qualifying}`)
    }
    const holds = sql`exists (${sql.join(branches, sql` union all `)})`
    const cursor = decode(p.after)
    const after = cursor ? sql`(lower(u.name), u.key) > (${cursor.name}, ${cursor.key}::uuid)` : sql`true`
    const limit = p.perPage + 1

    // Walk the name order and keep holders: quick while holders are common (an app most users
    // use). The first window measures how common they are; a longer walk is tried when that stays
    // cheap, and when holders are rare they are collected from the grant tables and sorted instead.
    type Row = { key: string; name: string; email: string | null; status: UserStatus; sort_name: string }
    const walk = async (window: number) => {
      const result = await tx.execute(sql`
        select u.key, u.name, u.email, u.status, u.sort_name from (
          select u.key, u.name, u.email, u.status, lower(u.name) as sort_name from ${users} u where ${after}
          order by lower(u.name), u.key limit ${window}
        ) u where ${holds}
        order by u.sort_name, u.key limit ${limit}`)
      return result.rows as Row[]
    }
    let rows = await walk(FIRST_WINDOW)
    if (rows.length > 0 && rows.length < limit) {
      const needed = Math.ceil(((limit * FIRST_WINDOW) / rows.length) * 1.3)
      if (needed <= LONGEST_WALK) rows = await walk(needed)
    }
    if (rows.length < limit) {
      const candidates: SQL[] = []
      if (instanceKeys.length) {
        candidates.push(sql`select ${endUserRoleAssignments.userKey} as user_key from ${endUserRoleAssignments} where ${endUserRoleAssignments.instanceKey} in (${list(instanceKeys)})`)
        candidates.push(
          sql`select ${groupMembers.userKey} from ${groupMembers} join ${groupRoles} on ${groupRoles.groupKey} = ${groupMembers.groupKey} where ${groupRoles.instanceKey} in (${list(instanceKeys)})`,
        )
      }
      if (memberRoles.length)
        candidates.push(
          sql`select ${roleAssignments.userKey} from ${roleAssignments} where (${roleAssignments.appKey} is null or ${roleAssignments.appKey} = ${p.appKey}) and ${roleAssignments.roleKey} in (${list(memberRoles)}) and ${activeGrant}`,
        )
      // Materialized so the holders are collected first and looked up by key, instead of the
      // planner walking every user in name order and testing each against them.
      const found = await tx.execute(sql`
        with holders as materialized (${sql.join(candidates, sql` union `)})
        select u.key, u.name, u.email, u.status, lower(u.name) as sort_name
        from holders h join ${users} u on u.key = h.user_key where ${after}
        order by lower(u.name), u.key limit ${limit}`)
      rows = found.rows as Row[]
    }
    const page = rows.slice(0, p.perPage)
    const how = await explainHolders(tx, page.map((r) => r.key), instanceKeys, memberRoles, p.appKey, now)
    const last = page.at(-1)
    return {
      rows: page.map((r) => ({ key: r.key, name: r.name, email: r.email, status: r.status, how: how.get(r.key) ?? [] })),
      next: rows.length > p.perPage && last ? encode({ name: last.sort_name, key: last.key }) : null,
      app,
      stage,
      includesMembers,
    }
  })
}

/** How each user of a page has access, in one query whatever the page size: direct roles, then groups, then member roles. */
async function explainHolders(tx: Tx, userKeys: string[], instanceKeys: string[], memberRoles: string[], appKey: string, now: Date): Promise<Map<string, string[]>> {
  const how = new Map<string, string[]>()
  if (userKeys.length === 0) return how
  const list = (keys: string[]) => sql.join(keys.map((k) => sql`${k}::uuid`), sql`, `)
  const parts: SQL[] = []
  if (instanceKeys.length) {
    parts.push(sql`
      select e.user_key, r.name || ' · direct' as how, 1 as ord, r.name as sort
      from ${endUserRoleAssignments} e join ${appRoleInstances} i on i.key = e.instance_key join ${appRoles} r on r.key = i.app_role_key
      where e.user_key in (${list(userKeys)}) and e.instance_key in (${list(instanceKeys)})`)
    parts.push(sql`
      select gm.user_key, r.name || ' · group ' || g.name as how, 2 as ord, r.name || g.name as sort
      from ${groupMembers} gm join ${groups} g on g.key = gm.group_key join ${groupRoles} gr on gr.group_key = gm.group_key
        join ${appRoleInstances} i on i.key = gr.instance_key join ${appRoles} r on r.key = i.app_role_key
      where gm.user_key in (${list(userKeys)}) and gr.instance_key in (${list(instanceKeys)})`)
  }
  if (memberRoles.length)
    parts.push(sql`
      select ra.user_key, ro.name || case when ra.app_key is null then ' · organization role' else ' · app role' end as how, 3 as ord, ro.name as sort
      from ${roleAssignments} ra join ${roles} ro on ro.key = ra.role_key
      where ra.user_key in (${list(userKeys)}) and ra.role_key in (${list(memberRoles)}) and (ra.app_key is null or ra.app_key = ${appKey}::uuid)
        and (ra.starts_at is null or ra.starts_at <= ${now}) and (ra.ends_at is null or ra.ends_at > ${now})`)
  const result = await tx.execute(sql`select user_key, how from (${sql.join(parts, sql` union all `)}) x order by ord, sort`)
  for (const r of result.rows as Array<{ user_key: string; how: string }>) how.set(r.user_key, [...(how.get(r.user_key) ?? []), r.how])
  return how
}
