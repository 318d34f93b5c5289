import 'server-only'
import { and, asc, count, desc, eq, exists, inArray, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import type { Tx } from '@/db/client'
import { appRoleInstances, appRoles, appStages, apps, stages, type AppRole } from '@/db/schema'
import { findApp, openableApps } from '../../apps/access'
import { createApp } from '../../apps/create-app'
import { createAppRole } from '../../apps/create-app-role'
import { deleteApp, previewAppDeletion } from '../../apps/delete-app'
import { deleteAppRole, previewAppRoleDeletion } from '../../apps/delete-app-role'
import { getApp, type AppDetail } from '../../apps/get-app'
import type { Impact } from '../../apps/impact'
import { previewAppStages, updateApp } from '../../apps/update-app'
import { updateAppRole } from '../../apps/update-app-role'
import { requirePermission } from '../../authz'
import { withTransaction, type Ctx } from '../../context'
import { NotFoundError } from '../../errors'
import { escapeLike, parse, uuidSchema } from '../../validation'
import { ConfirmationRequiredError } from '../problem'
import { listResponse, limitParam, offsetParam, querySchema, sortParam } from '../query'

// Apps and their end-user roles through the Gatehouse API. The lib/apps use cases hold every rule
// (validation, permissions, audit); this file maps JSON onto them. Two API-only behaviours:
//  - PATCH fills absent fields, and the optimistic-concurrency `version`, from the current record.
//  - A change that takes access away (undeploying from a stage whose roles someone holds, deleting
//    an app or a role that someone holds) is refused with 409 CONF-40902 naming what would be lost,
//    unless the request says `confirm`: the portal's confirmation dialog, for scripts.
// An instance's key is what the identity API calls an application role key; a role's own key is
// the instances' shared externalKey.

export type AppStageResponse = { key: string; code: string; name: string }
export type RoleInstanceResponse = { key: string; stageKey: string; stageCode: string }
export type AppRoleResponse = {
  key: string
  name: string
  description: string
  isPublic: boolean
  claimName: string
  version: number
  instances: RoleInstanceResponse[]
}
export type AppSummaryResponse = { key: string; name: string; description: string; version: number; stages: AppStageResponse[]; roleCount: number; createdAt: string; updatedAt: string }
export type AppResponse = Omit<AppSummaryResponse, 'roleCount'> & { roles: AppRoleResponse[] }

const appParams = z.object({ key: uuidSchema })
const roleParams = z.object({ key: uuidSchema, roleKey: uuidSchema })

export const appsQuery = querySchema({
  nameContains: z.string().max(200).optional(),
  stageKey: uuidSchema.optional(),
  sort: sortParam(['name', 'createdAt'], 'name'),
  offset: offsetParam,
  limit: limitParam,
})

export const appRolesQuery = querySchema({
  nameContains: z.string().max(200).optional(),
  sort: sortParam(['name'], 'name'),
  offset: offsetParam,
  limit: limitParam,
})

export const confirmQuery = querySchema({
  confirm: z.enum(['true', 'false'], { error: 'confirm must be true or false.' }).default('false').transform((v) => v === 'true'),
})

const keys = z.array(z.string(), { error: 'Send a list of stage keys.' })
const version = z.number({ error: 'version must be a whole number.' }).int('version must be a whole number.')
const confirm = z.boolean({ error: 'confirm must be true or false.' })

export const createAppBody = z.strictObject({ name: z.string({ error: 'Enter a name.' }), description: z.string().optional(), stageKeys: keys })
export const updateAppBody = z.strictObject({ name: z.string().optional(), description: z.string().optional(), stageKeys: keys.optional(), version: version.optional(), confirm: confirm.optional() })

const roleFields = { description: z.string().optional(), isPublic: z.boolean({ error: 'isPublic must be true or false.' }).optional(), claimName: z.string().optional() }
export const createAppRoleBody = z.strictObject({ name: z.string({ error: 'Enter a name.' }), ...roleFields })
export const updateAppRoleBody = z.strictObject({ name: z.string().optional(), ...roleFields, version: version.optional() })

const iso = (d: Date) => d.toISOString()
const plural = (n: number, one: string) => `${n.toLocaleString('en')} ${one}${n === 1 ? '' : 's'}`

/** “3 users and 1 group lose roles in QA”, one line per stage where someone loses something. */
function lossLines(impact: Impact, what: string): string[] {
  return impact.stages
    .filter((s) => s.users > 0 || s.groups > 0)
    .map((s) => {
      const who = [s.users ? plural(s.users, 'user') : null, s.groups ? plural(s.groups, 'group') : null].filter(Boolean).join(' and ')
      return `${who} ${s.users + s.groups === 1 ? 'loses' : 'lose'} ${what} in ${s.stageCode}.`
    })
}

function appOut(app: AppDetail): AppResponse {
  return {
    key: app.key,
    name: app.name,
    description: app.description,
    version: app.version,
    stages: app.stages.filter((s) => s.deployed).map(({ key, code, name }) => ({ key, code, name })),
    roles: app.roles.map((r) => ({ key: r.key, name: r.name, description: r.description, isPublic: r.isPublic, claimName: r.claimName, version: r.version, instances: r.instances })),
    createdAt: iso(app.createdAt),
    updatedAt: iso(app.updatedAt),
  }
}

// ── Apps ──────────────────────────────────────────────────────────────────────────────────────

/** GET /apps: the apps the caller may open (all of them with asset.open, else those of its app-scope roles). */
export async function queryApps(ctx: Ctx, query: z.infer<typeof appsQuery.schema>) {
  return withTransaction(ctx, async (tx, ctx) => {
    const visible = await openableApps(tx, ctx)
    const term = query.nameContains?.trim().toLowerCase()
    const where = and(
      visible ? inArray(apps.key, visible) : undefined,
      term ? sql`lower(${apps.name}) like ${`%${escapeLike(term)}%`}` : undefined,
      query.stageKey ? exists(tx.select({ one: sql`1` }).from(appStages).where(and(eq(appStages.appKey, apps.key), eq(appStages.stageKey, query.stageKey)))) : undefined,
    )
    const direction = query.sort.direction === 'desc' ? desc : asc
    const column = query.sort.field === 'name' ? sql`lower(${apps.name})` : apps.createdAt
    const rows = await tx.select().from(apps).where(where).orderBy(direction(column), direction(apps.key)).limit(query.limit).offset(query.offset)
    const [{ n }] = await tx.select({ n: count() }).from(apps).where(where)

    const pageKeys = rows.map((a) => a.key)
    const deployed = pageKeys.length
      ? await tx
          .select({ appKey: appStages.appKey, key: stages.key, code: stages.code, name: stages.name })
          .from(appStages)
          .innerJoin(stages, eq(stages.key, appStages.stageKey))
          .where(inArray(appStages.appKey, pageKeys))
          .orderBy(asc(stages.position))
      : []
    const roleCounts = pageKeys.length ? await tx.select({ appKey: appRoles.appKey, n: count() }).from(appRoles).where(inArray(appRoles.appKey, pageKeys)).groupBy(appRoles.appKey) : []
    const countOf = new Map(roleCounts.map((r) => [r.appKey, r.n]))
    const results: AppSummaryResponse[] = rows.map((a) => ({
      key: a.key,
      name: a.name,
      description: a.description,
      version: a.version,
      stages: deployed.filter((d) => d.appKey === a.key).map(({ key, code, name }) => ({ key, code, name })),
      roleCount: countOf.get(a.key) ?? 0,
      createdAt: iso(a.createdAt),
      updatedAt: iso(a.updatedAt),
    }))
    return listResponse(results, query, n)
  })
}

/** GET /apps/{key}. */
export async function readApp(ctx: Ctx, params: unknown): Promise<AppResponse> {
  const { key } = parse(appParams, params)
  return appOut(await getApp(ctx, { appKey: key }))
}

/** POST /apps → 201 with the new app (no roles yet). */
export async function createAppFromApi(ctx: Ctx, body: z.infer<typeof createAppBody>): Promise<AppResponse> {
  return withTransaction(ctx, async (_tx, ctx) => {
    const { key } = await createApp(ctx, body)
    return appOut(await getApp(ctx, { appKey: key }))
  })
}

/**
 * PATCH /apps/{key}. `stageKeys` is the full list of stages the app is to be deployed to; adding a
 * stage creates an instance of every role there, removing one deletes the instances there.
 */
export async function patchApp(ctx: Ctx, params: unknown, body: z.infer<typeof updateAppBody>): Promise<AppResponse> {
  const { key } = parse(appParams, params)
  return withTransaction(ctx, async (_tx, ctx) => {
    const current = await getApp(ctx, { appKey: key })
    const stageKeys = body.stageKeys ?? current.stages.filter((s) => s.deployed).map((s) => s.key)
    if (body.stageKeys && !body.confirm) {
      const change = await previewAppStages(ctx, { appKey: key, stageKeys })
      const lines = lossLines(change.impact, 'roles')
      if (lines.length)
        throw new ConfirmationRequiredError(
          `Undeploying from ${change.removed.map((s) => s.code).join(', ')} deletes the app's roles there and revokes them from ${plural(change.impact.users, 'user')} and ${plural(change.impact.groups, 'group')}. Nothing was changed; send "confirm": true to go ahead.`,
          lines,
        )
    }
    await updateApp(ctx, {
      appKey: key,
      version: body.version ?? current.version,
      name: body.name ?? current.name,
      description: body.description ?? current.description,
      stageKeys,
    })
    return appOut(await getApp(ctx, { appKey: key }))
  })
}

/** DELETE /apps/{key}: with its roles; refused unless confirmed when someone loses access. */
export async function removeApp(ctx: Ctx, params: unknown, query: z.infer<typeof confirmQuery.schema>): Promise<void> {
  const { key } = parse(appParams, params)
  await withTransaction(ctx, async (_tx, ctx) => {
    if (!query.confirm) {
      const found = await previewAppDeletion(ctx, { appKey: key })
      const lines = lossLines(found.impact, 'roles')
      if (found.members) lines.push(`${plural(found.members, 'member')} ${found.members === 1 ? 'loses an organization role' : 'lose their organization roles'} for this app.`)
      if (lines.length)
        throw new ConfirmationRequiredError(
          `Deleting the app takes its roles from ${plural(found.impact.users, 'user')} and ${plural(found.impact.groups, 'group')}${found.members ? `, and organization roles for it from ${plural(found.members, 'member')}` : ''}. Nothing was changed; send confirm=true to go ahead.`,
          lines,
        )
    }
    await deleteApp(ctx, { appKey: key })
  })
}

// ── End-user roles ────────────────────────────────────────────────────────────────────────────

/** Roles with their instances, in stage order: one query for the instances of all of them. */
async function withInstances(tx: Tx, roles: AppRole[]): Promise<AppRoleResponse[]> {
  const instances = roles.length
    ? await tx
        .select({ roleKey: appRoleInstances.appRoleKey, key: appRoleInstances.key, stageKey: stages.key, stageCode: stages.code })
        .from(appRoleInstances)
        .innerJoin(stages, eq(stages.key, appRoleInstances.stageKey))
        .where(inArray(appRoleInstances.appRoleKey, roles.map((r) => r.key)))
        .orderBy(asc(stages.position))
    : []
  return roles.map((r) => ({
    key: r.key,
    name: r.name,
    description: r.description,
    isPublic: r.isPublic,
    claimName: r.claimName,
    version: r.version,
    instances: instances.filter((i) => i.roleKey === r.key).map(({ key, stageKey, stageCode }) => ({ key, stageKey, stageCode })),
  }))
}

/** The role, if it belongs to the app; a role of another app is as unknown as a missing one. */
async function roleOfApp(tx: Tx, appKey: string, roleKey: string): Promise<AppRole> {
  await findApp(tx, appKey)
  const [role] = await tx.select().from(appRoles).where(and(eq(appRoles.key, roleKey), eq(appRoles.appKey, appKey)))
  if (!role) throw new NotFoundError('The role')
  return role
}

/** GET /apps/{key}/roles: seen with asset.open on the app, as on the app's page. */
export async function queryAppRoles(ctx: Ctx, params: unknown, query: z.infer<typeof appRolesQuery.schema>) {
  const { key } = parse(appParams, params)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'asset.open', { appKey: key })
    await findApp(tx, key)
    const term = query.nameContains?.trim().toLowerCase()
    const where = and(eq(appRoles.appKey, key), term ? sql`lower(${appRoles.name}) like ${`%${escapeLike(term)}%`}` : undefined) as SQL
    const direction = query.sort.direction === 'desc' ? desc : asc
    const rows = await tx.select().from(appRoles).where(where).orderBy(direction(sql`lower(${appRoles.name})`), direction(appRoles.key)).limit(query.limit).offset(query.offset)
    const [{ n }] = await tx.select({ n: count() }).from(appRoles).where(where)
    return listResponse(await withInstances(tx, rows), query, n)
  })
}

/** GET /apps/{key}/roles/{roleKey}. */
export async function readAppRole(ctx: Ctx, params: unknown): Promise<AppRoleResponse> {
  const { key, roleKey } = parse(roleParams, params)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'asset.open', { appKey: key })
    const [role] = await withInstances(tx, [await roleOfApp(tx, key, roleKey)])
    return role
  })
}

/** POST /apps/{key}/roles → 201 with the role and its instance in every stage the app is deployed to. */
export async function createAppRoleFromApi(ctx: Ctx, params: unknown, body: z.infer<typeof createAppRoleBody>): Promise<AppRoleResponse> {
  const { key } = parse(appParams, params)
  return withTransaction(ctx, async (tx, ctx) => {
    const created = await createAppRole(ctx, { appKey: key, ...body })
    const [role] = await withInstances(tx, [await roleOfApp(tx, key, created.key)])
    return role
  })
}

/** PATCH /apps/{key}/roles/{roleKey}: instances keep their keys. */
export async function patchAppRole(ctx: Ctx, params: unknown, body: z.infer<typeof updateAppRoleBody>): Promise<AppRoleResponse> {
  const { key, roleKey } = parse(roleParams, params)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'asset.change', { appKey: key })
    const role = await roleOfApp(tx, key, roleKey)
    await updateAppRole(ctx, {
      roleKey,
      version: body.version ?? role.version,
      name: body.name ?? role.name,
      description: body.description ?? role.description,
      isPublic: body.isPublic ?? role.isPublic,
      claimName: body.claimName ?? role.claimName,
    })
    const [after] = await withInstances(tx, [await roleOfApp(tx, key, roleKey)])
    return after
  })
}

/** DELETE /apps/{key}/roles/{roleKey}: with every instance; refused unless confirmed when someone holds it. */
export async function removeAppRole(ctx: Ctx, params: unknown, query: z.infer<typeof confirmQuery.schema>): Promise<void> {
  const { key, roleKey } = parse(roleParams, params)
  await withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'asset.change', { appKey: key })
    const role = await roleOfApp(tx, key, roleKey)
    if (!query.confirm) {
      const impact = await previewAppRoleDeletion(ctx, { roleKey })
      const lines = lossLines(impact, 'this role')
      if (lines.length)
        throw new ConfirmationRequiredError(
          `Deleting “${role.name}” takes it from ${plural(impact.users, 'user')} and ${plural(impact.groups, 'group')}. Nothing was changed; send confirm=true to go ahead.`,
          lines,
        )
    }
    await deleteAppRole(ctx, { roleKey })
  })
}
