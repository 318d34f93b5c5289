import 'server-only'
import { and, asc, count, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import type { Tx } from '@/db/client'
import { appRoleInstances, appRoles, appStages, groupMembers, groupMembershipType, groupRoles, groups, users } from '@/db/schema'
import { catalogueFor } from '../../authz'
import { withTransaction, type Ctx } from '../../context'
import { ConflictError, NotFoundError, ValidationError, type FieldErrors } from '../../errors'
import { groupFor, requireSomeStage, stagesWhere, type GroupRow } from '../../groups/access'
import { changeGroupMembers } from '../../groups/change-group-members'
import { createGroup } from '../../groups/create-group'
import { deleteGroup } from '../../groups/delete-group'
import { instancesOfGroup } from '../../groups/impact'
import { MAX_MEMBER_CHANGES } from '../../groups/schemas'
import { setGroupRoles } from '../../groups/set-group-roles'
import { updateGroup } from '../../groups/update-group'
import { sortExpressions } from '../../users/list-users'
import { USER_PROFILE_SORTS } from '../../users/query-users'
import { escapeLike, parse, uuidSchema } from '../../validation'
import { arrayParam, limitParam, listResponse, offsetParam, querySchema, sortParam } from '../query'
import { applicationRoleColumns, applicationRolesOfUsers, type ApplicationRoleResponse } from './application-roles'
import { embedParam } from './users'

// End-user groups through ODC's identity API (API-18..API-27). Every change goes through the
// lib/groups use cases; this file maps ODC's shapes onto them. An environment is a stage; an
// application role is an app role instance (one stage's copy of the role: its key is the
// instance's, externalKey the role's). ODC asks for "Manage end-user groups" on every group
// operation, reads included, so this API checks endusers.manage_groups in the group's stage even
// where the portal lets a viewer look. Gatehouse has no portfolios (no portfolioKey is answered,
// and a portfolio filter matches nothing) and no identity provider claim mappings yet (every group
// has none).

const GROUP_ROLES_LIMIT = 500

const keyParams = z.object({ key: uuidSchema })
const mappingParams = z.object({ key: uuidSchema, mappingKey: uuidSchema })
const textParam = z.string().max(200, 'At most 200 characters.').optional()
const dateTimeParam = (name: string) =>
  z
    .string()
    .pipe(z.iso.datetime({ offset: true, error: `${name} must be an ISO 8601 date-time, like 2024-05-01T00:00:00Z.` }))
    .transform((v) => new Date(v))
    .optional()
const keyList = (max: number, what: string) => z.array(uuidSchema).max(max, `At most ${max} ${what} at a time.`).nullish()

// --- shapes -------------------------------------------------------------------------------------

export type GroupResponse = { key: string; name: string | null; description: string | null; environmentKey: string; updatedAt: string; groupIdpClaimMappings: [] }

const groupColumns = { key: groups.key, name: groups.name, description: groups.description, stageKey: groups.stageKey, updatedAt: groups.updatedAt }
type GroupColumns = { key: string; name: string; description: string; stageKey: string; updatedAt: Date }

const toGroup = (g: GroupColumns): GroupResponse => ({
  key: g.key,
  name: g.name,
  description: g.description || null,
  environmentKey: g.stageKey,
  updatedAt: g.updatedAt.toISOString(),
  groupIdpClaimMappings: [],
})

/**
 * The use cases' refusals in this API's terms: their field names become the request's, and a
 * conflict (a name taken in the stage) is a 400, since these operations declare no 409.
 */
async function asApiInput<T>(work: Promise<T>, fields: Record<string, string> = {}): Promise<T> {
  try {
    return await work
  } catch (e) {
    if (!(e instanceof ValidationError || e instanceof ConflictError)) throw e
    const renamed: FieldErrors = {}
    for (const [field, messages] of Object.entries(e.fieldErrors)) (renamed[fields[field] ?? field] ??= []).push(...messages)
    throw new ValidationError(e.message, renamed)
  }
}

/** The keys that are not application roles of an app deployed in the stage (a group holds only those, GRP-1). */
async function rolesOutsideStage(tx: Tx, group: Pick<GroupRow, 'stageKey' | 'stageCode'>, keys: string[]): Promise<string[]> {
  if (keys.length === 0) return []
  const found = await tx
    .select({ key: appRoleInstances.key })
    .from(appRoleInstances)
    .innerJoin(appStages, and(eq(appStages.appKey, appRoleInstances.appKey), eq(appStages.stageKey, appRoleInstances.stageKey)))
    .where(and(inArray(appRoleInstances.key, keys), eq(appRoleInstances.stageKey, group.stageKey)))
  const known = new Set(found.map((f) => f.key))
  return keys.filter((k) => !known.has(k)).map((k) => `${k} is not an application role in the group's environment (${group.stageCode}).`)
}

function requireDisjoint(add: string[], remove: string[], removeField: string): void {
  const both = add.filter((k) => remove.includes(k))
  if (both.length) throw new ValidationError('Some fields need attention.', { [removeField]: both.map((k) => `${k} is also in the list to add: add or remove it, not both.`) })
}

// --- groups ---------------------------------------------------------------------------------------

export const groupsQuery = querySchema(
  {
    nameContains: textParam,
    environmentKey: uuidSchema.optional(),
    environmentKeys: arrayParam(uuidSchema),
    identityProviderKey: uuidSchema.optional(),
    portfolioKeys: arrayParam(uuidSchema),
    offset: offsetParam,
    limit: limitParam,
  },
  { exclusive: [['environmentKey', 'environmentKeys']] },
)

/** GET /groups: the groups of the stages where the client manages groups, by name. */
export async function queryGroups(ctx: Ctx, query: z.infer<typeof groupsQuery.schema>) {
  return withTransaction(ctx, async (tx, ctx) => {
    const manageable = await requireSomeStage(tx, ctx, 'endusers.manage_groups', 'manage end-user groups')
    const wanted = query.environmentKeys ?? (query.environmentKey ? [query.environmentKey] : undefined)
    const stageKeys = manageable.map((s) => s.key).filter((k) => !wanted || wanted.includes(k))
    // No group has claim mappings or a portfolio yet, so those filters match nothing.
    if (stageKeys.length === 0 || query.identityProviderKey || query.portfolioKeys) return listResponse([], query, 0)
    const term = query.nameContains?.trim().toLowerCase()
    const where = and(inArray(groups.stageKey, stageKeys), term ? sql`lower(${groups.name}) like ${`%${escapeLike(term)}%`}` : undefined)
    const rows = await tx.select(groupColumns).from(groups).where(where).orderBy(asc(sql`lower(${groups.name})`), asc(groups.key)).limit(query.limit).offset(query.offset)
    const [{ n }] = await tx.select({ n: count() }).from(groups).where(where)
    return listResponse(rows.map(toGroup), query, n)
  })
}

/** GET /groups/{key}. */
export async function readGroup(ctx: Ctx, params: unknown): Promise<GroupResponse> {
  const { key } = parse(keyParams, params)
  return withTransaction(ctx, async (tx, ctx) => {
    await groupFor(tx, ctx, key, { manage: true })
    const [row] = await tx.select(groupColumns).from(groups).where(eq(groups.key, key))
    return toGroup(row)
  })
}

/** GroupCreateRequest (additionalProperties: false). */
export const createGroupBody = z.strictObject({
  name: z.string().nullish(),
  description: z.string().nullish(),
  environmentKey: z.uuid({ error: (issue) => (issue.input === undefined ? 'Name the environment (stage) the group belongs to.' : 'Not a valid key.') }),
  applicationRoleKeys: keyList(GROUP_ROLES_LIMIT, 'application role keys'),
  userKeys: keyList(MAX_MEMBER_CHANGES, 'user keys'),
})

/** POST /groups → 201 {key}: the group, its roles and its members in one transaction, or nothing. */
export async function createGroupFromApi(ctx: Ctx, body: z.infer<typeof createGroupBody>): Promise<{ key: string }> {
  return withTransaction(ctx, async (tx, ctx) => {
    // The permission first, so a client without it learns nothing about stages, roles or users.
    await requireSomeStage(tx, ctx, 'endusers.manage_groups', 'manage end-user groups')
    const stage = (await catalogueFor(tx, ctx)).stages.get(body.environmentKey)
    if (!stage) throw new ValidationError('Some fields need attention.', { environmentKey: ['No environment (stage) has this key.'] })
    const { groupKey } = await asApiInput(createGroup(ctx, { name: body.name ?? '', description: body.description ?? '', stageKey: stage.key }), { stageKey: 'environmentKey' })
    const roleKeys = [...new Set(body.applicationRoleKeys ?? [])]
    const outside = await rolesOutsideStage(tx, { stageKey: stage.key, stageCode: stage.code }, roleKeys)
    if (outside.length) throw new ValidationError('Some fields need attention.', { applicationRoleKeys: outside })
    if (roleKeys.length) await asApiInput(setGroupRoles(ctx, { groupKey, instanceKeys: roleKeys, version: 1 }), { instanceKeys: 'applicationRoleKeys' })
    if (body.userKeys?.length) await asApiInput(changeGroupMembers(ctx, { groupKey, addUserKeys: body.userKeys }), { addUserKeys: 'userKeys' })
    return { key: groupKey }
  })
}

/** PatchGroupRequest: a null or absent field is left as it is (REST-12). */
export const updateGroupBody = z.strictObject({ name: z.string().nullish(), description: z.string().nullish() })

/** PATCH /groups/{key} → 204. */
export async function updateGroupFromApi(ctx: Ctx, params: unknown, body: z.infer<typeof updateGroupBody>): Promise<void> {
  const { key } = parse(keyParams, params)
  await withTransaction(ctx, async (tx, ctx) => {
    const group = await groupFor(tx, ctx, key, { manage: true, lock: 'update' })
    await asApiInput(updateGroup(ctx, { groupKey: key, name: body.name ?? group.name, description: body.description ?? group.description, version: group.version }))
  })
}

/** DELETE /groups/{key} → 204: its members lose the roles they held only through it (GRP-3). */
export async function deleteGroupFromApi(ctx: Ctx, params: unknown): Promise<void> {
  const { key } = parse(keyParams, params)
  await withTransaction(ctx, async (tx, ctx) => {
    const group = await groupFor(tx, ctx, key, { manage: true, lock: 'update' })
    await deleteGroup(ctx, { groupKey: key, version: group.version })
  })
}

/** The key names no claim mapping of this group. */
class ClaimMappingNotFoundError extends NotFoundError {
  constructor(groupName: string) {
    super('The claim mapping')
    this.message = `The group “${groupName}” has no claim mapping with this key. Gatehouse does not map identity provider claims to groups yet, so no group has any.`
  }
}

/** DELETE /groups/{key}/claim-mappings/{mappingKey}: authorized and validated, but every key is unknown for now. */
export async function deleteGroupClaimMapping(ctx: Ctx, params: unknown): Promise<never> {
  const { key } = parse(mappingParams, params)
  return withTransaction(ctx, async (tx, ctx) => {
    const group = await groupFor(tx, ctx, key, { manage: true })
    throw new ClaimMappingNotFoundError(group.name)
  })
}

// --- members --------------------------------------------------------------------------------------

export const groupUsersQuery = querySchema(
  {
    userKey: uuidSchema.optional(),
    userKeys: arrayParam(uuidSchema),
    nameOrEmailContains: textParam,
    nameOrEmailOrUsernameContains: textParam,
    lastLoginAtSince: dateTimeParam('lastLoginAtSince'),
    lastLoginAtTo: dateTimeParam('lastLoginAtTo'),
    membershipType: z.enum(groupMembershipType.enumValues, { error: 'membershipType must be Assigned or Mapped.' }).optional(),
    sort: sortParam(USER_PROFILE_SORTS, 'name'),
    embed: embedParam,
    offset: offsetParam,
    limit: limitParam,
  },
  { exclusive: [['userKey', 'userKeys']] },
)

const userSorts: Record<(typeof USER_PROFILE_SORTS)[number], SQL> = {
  key: sql`${users.key}`,
  name: sortExpressions.name,
  email: sortExpressions.email,
  status: sortExpressions.status,
  lastLoginAt: sortExpressions.lastLogin,
}

function memberFilters(groupKey: string, q: z.infer<typeof groupUsersQuery.schema>): SQL[] {
  if (q.userKeys && q.userKeys.length > MAX_MEMBER_CHANGES) throw new ValidationError('Some query parameters are not valid.', { userKeys: [`At most ${MAX_MEMBER_CHANGES} keys.`] })
  // Gatehouse keeps no usernames apart from emails, so both searches match name or email.
  const terms = [...new Set([q.nameOrEmailContains, q.nameOrEmailOrUsernameContains].map((t) => t?.trim().toLowerCase()).filter((t): t is string => Boolean(t)))]
  if (terms.length > 1) throw new ValidationError('Some query parameters are not valid.', { nameOrEmailOrUsernameContains: ['Send nameOrEmailContains or nameOrEmailOrUsernameContains, or the same value in both.'] })
  const type = q.membershipType ? sql` and ${groupMembers.type} = ${q.membershipType}` : sql``
  const out: SQL[] = [sql`${users.key} in (select ${groupMembers.userKey} from ${groupMembers} where ${groupMembers.groupKey} = ${groupKey}${type})`]
  const keys = q.userKeys ?? (q.userKey ? [q.userKey] : undefined)
  if (keys) out.push(inArray(users.key, keys))
  if (terms[0]) out.push(sql`${users.searchText} like ${`%${escapeLike(terms[0])}%`}`)
  if (q.lastLoginAtSince) out.push(gte(users.lastLoginAt, q.lastLoginAtSince))
  if (q.lastLoginAtTo) out.push(lte(users.lastLoginAt, q.lastLoginAtTo))
  return out
}

/** The application roles of these users (directly or through any group) in these stages, by user. */
async function applicationRolesOf(tx: Tx, userKeys: string[], stageKeys: string[]): Promise<Map<string, ApplicationRoleResponse[]>> {
  if (stageKeys.length === 0) return new Map()
  return applicationRolesOfUsers(tx, userKeys, inArray(appRoleInstances.stageKey, stageKeys))
}

/** GET /groups/{key}/users: each member once, with every way they are in the group. */
export async function queryGroupUsers(ctx: Ctx, params: unknown, query: z.infer<typeof groupUsersQuery.schema>) {
  const { key } = parse(keyParams, params)
  const where = and(...memberFilters(key, query))
  return withTransaction(ctx, async (tx, ctx) => {
    await groupFor(tx, ctx, key, { manage: true })
    const expr = userSorts[query.sort.field]
    const order = query.sort.direction === 'asc' ? [asc(expr), asc(users.key)] : [desc(expr), desc(users.key)]
    const rows = await tx
      .select({ key: users.key, name: users.name, email: users.email, status: users.status, photoUrl: users.photoUrl, lastLoginAt: users.lastLoginAt })
      .from(users)
      .where(where)
      .orderBy(...order)
      .limit(query.limit)
      .offset(query.offset)
    const [{ n }] = await tx.select({ n: count() }).from(users).where(where)
    const keys = rows.map((r) => r.key)
    const types = keys.length
      ? await tx
          .select({ userKey: groupMembers.userKey, type: groupMembers.type })
          .from(groupMembers)
          .where(and(eq(groupMembers.groupKey, key), inArray(groupMembers.userKey, keys)))
      : []
    const embed = query.embed ?? []
    // Roles only in the stages where the client may see end-users: managing this group's stage does not reveal the others.
    const roles = embed.includes('ApplicationRoles') ? await applicationRolesOf(tx, keys, (await stagesWhere(tx, ctx, 'endusers.view')).map((s) => s.key)) : undefined
    const results = rows.map((r) => ({
      membershipTypes: types.filter((t) => t.userKey === r.key).map((t) => t.type).sort(),
      user: {
        key: r.key,
        name: r.name || null,
        email: r.email,
        status: r.status,
        photoUrl: r.photoUrl,
        // The schema has no null here: a user who never signed in has no lastLoginAt.
        ...(r.lastLoginAt ? { lastLoginAt: r.lastLoginAt.toISOString() } : {}),
        ...(embed.length
          ? {
              _embedded: {
                ...(roles ? { applicationRoles: roles.get(r.key) ?? [] } : {}),
                // Gatehouse has only its built-in sign-in: no per-provider profiles.
                ...(embed.includes('UserIdentityProviders') ? { userIdentityProviders: [] } : {}),
              },
            }
          : {}),
      },
    }))
    return listResponse(results, query, n)
  })
}

/** PatchUsersByGroupRequest. */
export const groupUsersBody = z.strictObject({ userKeysToAdd: keyList(MAX_MEMBER_CHANGES, 'user keys'), userKeysToRemove: keyList(MAX_MEMBER_CHANGES, 'user keys') })

/** PATCH /groups/{key}/users → 200: Assigned memberships only; Mapped ones are refused (400). */
export async function changeGroupUsers(ctx: Ctx, params: unknown, body: z.infer<typeof groupUsersBody>): Promise<void> {
  const { key } = parse(keyParams, params)
  await asApiInput(changeGroupMembers(ctx, { groupKey: key, addUserKeys: body.userKeysToAdd ?? [], removeUserKeys: body.userKeysToRemove ?? [] }), {
    addUserKeys: 'userKeysToAdd',
    removeUserKeys: 'userKeysToRemove',
  })
}

// --- application roles ------------------------------------------------------------------------------

export const groupRolesQuery = querySchema(
  {
    assetKey: uuidSchema.optional(),
    applicationRoleKey: uuidSchema.optional(),
    applicationRoleKeys: arrayParam(uuidSchema),
    nameContains: textParam,
    // The published list spells it "assetkey"; the property is assetKey. Both are accepted.
    sort: sortParam(['name', 'assetKey', 'assetkey'], 'name'),
    offset: offsetParam,
    limit: limitParam,
  },
  { exclusive: [['applicationRoleKey', 'applicationRoleKeys']] },
)

/** GET /groups/{key}/application-roles: by role name, or by app. */
export async function queryGroupApplicationRoles(ctx: Ctx, params: unknown, query: z.infer<typeof groupRolesQuery.schema>) {
  const { key } = parse(keyParams, params)
  return withTransaction(ctx, async (tx, ctx) => {
    await groupFor(tx, ctx, key, { manage: true })
    const roleKeys = query.applicationRoleKeys ?? (query.applicationRoleKey ? [query.applicationRoleKey] : undefined)
    const term = query.nameContains?.trim().toLowerCase()
    const where = and(
      eq(groupRoles.groupKey, key),
      query.assetKey ? eq(appRoleInstances.appKey, query.assetKey) : undefined,
      roleKeys ? inArray(appRoleInstances.key, roleKeys) : undefined,
      term ? sql`lower(${appRoles.name}) like ${`%${escapeLike(term)}%`}` : undefined,
    )
    const direction = query.sort.direction === 'asc' ? asc : desc
    const name = sql`lower(${appRoles.name})`
    const order = query.sort.field === 'name' ? [direction(name), direction(appRoleInstances.key)] : [direction(appRoleInstances.appKey), direction(name), direction(appRoleInstances.key)]
    const rows = await tx
      .select(applicationRoleColumns)
      .from(groupRoles)
      .innerJoin(appRoleInstances, eq(appRoleInstances.key, groupRoles.instanceKey))
      .innerJoin(appRoles, eq(appRoles.key, appRoleInstances.appRoleKey))
      .where(where)
      .orderBy(...order)
      .limit(query.limit)
      .offset(query.offset)
    const [{ n }] = await tx
      .select({ n: count() })
      .from(groupRoles)
      .innerJoin(appRoleInstances, eq(appRoleInstances.key, groupRoles.instanceKey))
      .innerJoin(appRoles, eq(appRoles.key, appRoleInstances.appRoleKey))
      .where(where)
    return listResponse(rows satisfies ApplicationRoleResponse[], query, n)
  })
}

/** PatchGroupApplicationRolesRequest. */
export const groupRolesBody = z.strictObject({
  applicationRoleKeysToAdd: keyList(GROUP_ROLES_LIMIT, 'application role keys'),
  applicationRoleKeysToRemove: keyList(GROUP_ROLES_LIMIT, 'application role keys'),
})

/**
 * PATCH /groups/{key}/application-roles → 200. Both lists must name application roles of the
 * group's stage; adding a role the group grants or removing one it does not changes nothing.
 */
export async function changeGroupApplicationRoles(ctx: Ctx, params: unknown, body: z.infer<typeof groupRolesBody>): Promise<void> {
  const { key } = parse(keyParams, params)
  const add = [...new Set(body.applicationRoleKeysToAdd ?? [])]
  const remove = [...new Set(body.applicationRoleKeysToRemove ?? [])]
  requireDisjoint(add, remove, 'applicationRoleKeysToRemove')
  await withTransaction(ctx, async (tx, ctx) => {
    const group = await groupFor(tx, ctx, key, { manage: true, lock: 'update' })
    const refused: FieldErrors = {}
    for (const [field, list] of [['applicationRoleKeysToAdd', add], ['applicationRoleKeysToRemove', remove]] as const) {
      const outside = await rolesOutsideStage(tx, group, list)
      if (outside.length) refused[field] = outside
    }
    if (Object.keys(refused).length) throw new ValidationError('Some fields need attention.', refused)
    const current = await instancesOfGroup(tx, key)
    const wanted = [...new Set([...current, ...add])].filter((k) => !remove.includes(k))
    if (wanted.length > GROUP_ROLES_LIMIT) throw new ValidationError('Some fields need attention.', { applicationRoleKeysToAdd: [`A group holds at most ${GROUP_ROLES_LIMIT} application roles.`] })
    await asApiInput(setGroupRoles(ctx, { groupKey: key, instanceKeys: wanted, version: group.version }), { instanceKeys: 'applicationRoleKeysToAdd' })
  })
}
