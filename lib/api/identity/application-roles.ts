import 'server-only'
import { and, asc, count, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import type { Tx } from '@/db/client'
import { appRoleInstances, appRoles, endUserRoleAssignments, groupMembers, groupRoles, stages, users } from '@/db/schema'
import { loadHoldingsOfUsers } from '../../access/end-user-roles'
import { requireEndUserReach, withinReach, type Reach } from '../../access/end-user-reach'
import { requirePermission } from '../../authz'
import { withTransaction, type Ctx } from '../../context'
import { NotFoundError } from '../../errors'
import { escapeLike, parse, uuidSchema } from '../../validation'
import { arrayParam, listResponse, limitParam, offsetParam, querySchema, sortParam } from '../query'
import { nameOrEmailConditions, ROLE_HOLDER_SORTS, roleHolderPage, type RoleHolder } from './role-holders'
import { countUsersParams, embedParam, queryUsersParams, type EmbedType } from './users'

// Application roles through ODC's identity API (API-16, API-17, API-S6). ODC's application role
// lives in one environment, with its own key there and an externalKey shared by its copies in
// every environment. Gatehouse's counterpart is the app role instance: one app role in one stage.
// So `key` is the instance key, `environmentKey` its stage, `assetKey` its app and `externalKey`
// the app role's own key. Gatehouse has a single portfolio with no key of its own (SPEC §12):
// `portfolioKey` is left out of responses, and a portfolio filter matches nothing.

export type ApplicationRoleResponse = { key: string; name: string | null; environmentKey: string; assetKey: string; externalKey: string; claim: string | null }

export const applicationRoleColumns = {
  key: appRoleInstances.key,
  name: appRoles.name,
  environmentKey: appRoleInstances.stageKey,
  assetKey: appRoleInstances.appKey,
  externalKey: appRoles.key,
  claim: appRoles.claimName,
}

export const toApplicationRole = (r: ApplicationRoleResponse): ApplicationRoleResponse => ({
  key: r.key,
  name: r.name,
  environmentKey: r.environmentKey,
  assetKey: r.assetKey,
  externalKey: r.externalKey,
  claim: r.claim,
})

/** An enum query parameter matched case-insensitively (ODC's own descriptions mix the casings). */
export function enumParam<const V extends string>(values: readonly V[]) {
  return z.string().transform((raw, ctx): V => {
    const match = values.find((v) => v.toLowerCase() === raw.trim().toLowerCase())
    if (!match) {
      ctx.addIssue({ code: 'custom', message: `Must be one of: ${values.join(', ')}.` })
      return z.NEVER
    }
    return match
  })
}

/** A portfolio filter: Gatehouse's one portfolio has no key a client could know, so any given key is another portfolio's. */
export const portfolioCondition = (keys: string[] | undefined): SQL | undefined => (keys?.length ? sql`false` : undefined)

export const APPLICATION_ROLE_SORTS = ['name', 'environmentKey', 'assetKey'] as const

/** Sorted by the field asked for, then by name, stage order and key, all in the asked direction. */
function applicationRoleOrder(sort: { field: (typeof APPLICATION_ROLE_SORTS)[number]; direction: 'asc' | 'desc' }): SQL[] {
  const direction = sort.direction === 'desc' ? desc : asc
  const name = sql`lower(${appRoles.name})`
  const first = { name, environmentKey: sql`${appRoleInstances.stageKey}`, assetKey: sql`${appRoleInstances.appKey}` }[sort.field]
  return [first, name, sql`${stages.position}`, sql`${appRoleInstances.key}`].map((e) => direction(e))
}

export const applicationRoleNameLike = (term: string | undefined) => (term?.trim() ? sql`lower(${appRoles.name}) like ${`%${escapeLike(term.trim().toLowerCase())}%`}` : undefined)

/** One page of instances matching `where`, with the total, sorted as asked. */
export async function applicationRolePage(tx: Tx, where: SQL | undefined, query: { sort: Parameters<typeof applicationRoleOrder>[0]; limit: number; offset: number }) {
  const rows = await tx
    .select(applicationRoleColumns)
    .from(appRoleInstances)
    .innerJoin(appRoles, eq(appRoles.key, appRoleInstances.appRoleKey))
    .innerJoin(stages, eq(stages.key, appRoleInstances.stageKey))
    .where(where)
    .orderBy(...applicationRoleOrder(query.sort))
    .limit(query.limit)
    .offset(query.offset)
  const [{ n }] = await tx.select({ n: count() }).from(appRoleInstances).innerJoin(appRoles, eq(appRoles.key, appRoleInstances.appRoleKey)).where(where)
  return { rows, total: n }
}

export const applicationRolesQuery = querySchema(
  {
    key: uuidSchema.optional(),
    assetKey: uuidSchema.optional(),
    environmentKey: uuidSchema.optional(),
    environmentKeys: arrayParam(uuidSchema),
    portfolioKeys: arrayParam(uuidSchema),
    nameContains: z.string().max(200).optional(),
    sort: sortParam(APPLICATION_ROLE_SORTS, 'name'),
    offset: offsetParam,
    limit: limitParam,
  },
  { exclusive: [['environmentKey', 'environmentKeys']] },
)

/** GET /application-roles: the instances in the apps and stages where the caller may view end-users. */
export async function queryApplicationRoles(ctx: Ctx, query: z.infer<typeof applicationRolesQuery.schema>) {
  return withTransaction(ctx, async (tx, ctx) => {
    const reach = await requireEndUserReach(tx, ctx, 'endusers.view', 'see application roles')
    const stageKeys = query.environmentKeys ?? (query.environmentKey ? [query.environmentKey] : undefined)
    const where = and(
      withinReach(reach, appRoleInstances),
      query.key ? eq(appRoleInstances.key, query.key) : undefined,
      query.assetKey ? eq(appRoleInstances.appKey, query.assetKey) : undefined,
      stageKeys ? inArray(appRoleInstances.stageKey, stageKeys) : undefined,
      portfolioCondition(query.portfolioKeys),
      applicationRoleNameLike(query.nameContains),
    )
    const { rows, total } = await applicationRolePage(tx, where, query)
    return listResponse(rows.map(toApplicationRole), query, total)
  })
}

export const usersByApplicationRoleQuery = querySchema({
  userKey: uuidSchema.optional(),
  nameOrEmailContains: queryUsersParams.nameOrEmailContains,
  nameOrEmailOrUsernameContains: queryUsersParams.nameOrEmailOrUsernameContains,
  lastLoginAtSince: countUsersParams.lastLoginAtSince,
  lastLoginAtTo: countUsersParams.lastLoginAtTo,
  sort: sortParam(ROLE_HOLDER_SORTS, 'name'),
  embed: embedParam,
  offset: offsetParam,
  limit: limitParam,
})

export type RoleUserResponse = RoleHolder & { _embedded?: { applicationRoles?: ApplicationRoleResponse[]; userIdentityProviders?: never[] } }

/** Users holding the instance, directly or through any group they are in (Assigned or Mapped). */
const holdersOf = (instanceKey: string) => sql`${users.key} in (
  select ${endUserRoleAssignments.userKey} from ${endUserRoleAssignments} where ${endUserRoleAssignments.instanceKey} = ${instanceKey}::uuid
  union
  select ${groupMembers.userKey} from ${groupMembers} join ${groupRoles} on ${groupRoles.groupKey} = ${groupMembers.groupKey} where ${groupRoles.instanceKey} = ${instanceKey}::uuid
)`

/**
 * GET /application-roles/{key}/users: every holder once, whatever the source. Viewing end-users in
 * the role's app and stage is needed, and every holder is then an end-user the caller may see.
 */
export async function queryUsersByApplicationRole(ctx: Ctx, params: unknown, query: z.infer<typeof usersByApplicationRoleQuery.schema>) {
  const { key } = parse(z.object({ key: uuidSchema }), params)
  return withTransaction(ctx, async (tx, ctx) => {
    const reach = await requireEndUserReach(tx, ctx, 'endusers.view', 'see end-users')
    const [instance] = await tx.select({ appKey: appRoleInstances.appKey, stageKey: appRoleInstances.stageKey }).from(appRoleInstances).where(eq(appRoleInstances.key, key))
    if (!instance) throw new NotFoundError('The application role')
    await requirePermission(tx, ctx, 'endusers.view', instance)
    const conditions: SQL[] = [holdersOf(key), ...nameOrEmailConditions(query)]
    if (query.userKey) conditions.push(eq(users.key, query.userKey))
    if (query.lastLoginAtSince) conditions.push(gte(users.lastLoginAt, query.lastLoginAtSince))
    if (query.lastLoginAtTo) conditions.push(lte(users.lastLoginAt, query.lastLoginAtTo))
    const { holders, total } = await roleHolderPage(tx, and(...conditions), query)
    const embed = query.embed ?? []
    const rolesOf = embed.includes('ApplicationRoles') ? await applicationRolesOf(tx, reach, holders.map((h) => h.key)) : new Map<string, ApplicationRoleResponse[]>()
    const results: RoleUserResponse[] = holders.map((h) => ({ ...h, ...(embed.length ? { _embedded: embedded(embed, rolesOf.get(h.key) ?? []) } : {}) }))
    return listResponse(results, query, total)
  })
}

function embedded(embed: EmbedType[], roles: ApplicationRoleResponse[]): NonNullable<RoleUserResponse['_embedded']> {
  return {
    ...(embed.includes('ApplicationRoles') ? { applicationRoles: roles } : {}),
    // Gatehouse has only its built-in sign-in: no per-provider profiles.
    ...(embed.includes('UserIdentityProviders') ? { userIdentityProviders: [] } : {}),
  }
}

/**
 * The application roles each user holds, from any source and once each, among the role instances
 * `where` admits (on app_role_instances): the same two queries for a whole page of users.
 */
export async function applicationRolesOfUsers(tx: Tx, userKeys: string[], where?: SQL): Promise<Map<string, ApplicationRoleResponse[]>> {
  const out = new Map<string, ApplicationRoleResponse[]>()
  for (const [userKey, held] of await loadHoldingsOfUsers(tx, userKeys, where)) {
    const roles = new Map<string, ApplicationRoleResponse>()
    for (const h of held) roles.set(h.instanceKey, { key: h.instanceKey, name: h.roleName, environmentKey: h.stageKey, assetKey: h.appKey, externalKey: h.appRoleKey, claim: h.claim })
    out.set(userKey, [...roles.values()].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.key.localeCompare(b.key)))
  }
  return out
}

/** The application roles each user holds where the caller may view end-users. */
function applicationRolesOf(tx: Tx, reach: Reach, userKeys: string[]): Promise<Map<string, ApplicationRoleResponse[]>> {
  return applicationRolesOfUsers(tx, userKeys, withinReach(reach, appRoleInstances))
}
