import 'server-only'
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import type { Tx } from '@/db/client'
import { appRoleInstances, endUserRoleAssignments, groupMembers, groupRoles, groups, users, type GroupMembershipType } from '@/db/schema'
import { grantEndUserRole, revokeEndUserRole } from '../../access/end-user-role-grant'
import { requireEndUserReach, withinReach } from '../../access/end-user-reach'
import { withTransaction, type Ctx } from '../../context'
import { NotFoundError } from '../../errors'
import { canSeeUser } from '../../users/visibility'
import { parse, uuidSchema } from '../../validation'
import { arrayParam, listResponse, limitParam, offsetParam, querySchema, sortParam } from '../query'
import {
  APPLICATION_ROLE_SORTS,
  applicationRoleNameLike,
  applicationRolePage,
  enumParam,
  portfolioCondition,
  toApplicationRole,
  type ApplicationRoleResponse,
} from './application-roles'

// A user's application roles through ODC's identity API (API-10..API-12, API-41): the same mapping
// as application-roles.ts (an application role is an app role instance). Grants and revocations go
// through lib/access, where the rules are the portal's end-user access grid's.

const SOURCES = ['Direct', 'GroupAssigned', 'GroupMapped'] as const
type Source = (typeof SOURCES)[number]

const userKeyParams = z.object({ key: uuidSchema })
const grantParams = z.object({ key: uuidSchema, roleKey: uuidSchema })

/**
 * The user named in the path, when the caller may see them (API-40): unknown and invisible users
 * are both "not found". `alsoVisible` widens that for a list that is itself visible to the caller
 * (a group they manage shows its members even when those hold no role).
 */
export async function requireVisibleUser(tx: Tx, ctx: Ctx, key: string, alsoVisible?: () => Promise<boolean>): Promise<void> {
  const [user] = await tx.select({ key: users.key, isMember: users.isMember, isEndUser: users.isEndUser }).from(users).where(eq(users.key, key))
  if (user && ((await canSeeUser(tx, ctx, user)) || (alsoVisible && (await alsoVisible())))) return
  throw new NotFoundError('The user')
}

export const userApplicationRolesQuery = querySchema(
  {
    nameContains: z.string().max(200).optional(),
    assetKey: uuidSchema.optional(),
    assetKeys: arrayParam(uuidSchema),
    environmentKey: uuidSchema.optional(),
    environmentKeys: arrayParam(uuidSchema),
    portfolioKeys: arrayParam(uuidSchema),
    groupKeys: arrayParam(uuidSchema),
    applicationRoleKeys: arrayParam(uuidSchema),
    assignmentSources: arrayParam(enumParam(SOURCES)),
    sort: sortParam(APPLICATION_ROLE_SORTS, 'name'),
    offset: offsetParam,
    limit: limitParam,
  },
  {
    exclusive: [
      ['assetKey', 'assetKeys'],
      ['environmentKey', 'environmentKeys'],
    ],
  },
)

export type UserApplicationRoleResponse = ApplicationRoleResponse & {
  isDirectlyAssigned: boolean
  assignedGroups: Array<{ key: string; name: string | null; membershipType: GroupMembershipType }>
}

const typesOf = (sources: Source[]): GroupMembershipType[] => [
  ...(sources.includes('GroupAssigned') ? (['Assigned'] as const) : []),
  ...(sources.includes('GroupMapped') ? (['Mapped'] as const) : []),
]

/** Instances the user holds through the selected sources; with groupKeys, only through those groups. */
function heldThrough(userKey: string, sources: Source[], groupKeys: string[] | undefined): SQL {
  const parts: SQL[] = []
  if (sources.includes('Direct') && !groupKeys)
    parts.push(sql`select ${endUserRoleAssignments.instanceKey} from ${endUserRoleAssignments} where ${endUserRoleAssignments.userKey} = ${userKey}::uuid`)
  const types = typesOf(sources)
  if (types.length) {
    const inGroups = groupKeys ? sql` and ${groupMembers.groupKey} in (${sql.join(groupKeys.map((k) => sql`${k}::uuid`), sql`, `)})` : sql``
    parts.push(sql`select ${groupRoles.instanceKey} from ${groupMembers} join ${groupRoles} on ${groupRoles.groupKey} = ${groupMembers.groupKey}
      where ${groupMembers.userKey} = ${userKey}::uuid and ${groupMembers.type} in (${sql.join(types.map((t) => sql`${t}`), sql`, `)})${inGroups}`)
  }
  return parts.length ? sql`${appRoleInstances.key} in (${sql.join(parts, sql` union `)})` : sql`false`
}

/**
 * GET /users/{key}/application-roles. Sources default to Direct (API-10); asking for roles inherited
 * from some groups without naming sources means both kinds of group membership, since no role is
 * inherited directly. A role reached several ways appears once, and isDirectlyAssigned and
 * assignedGroups tell only of the selected sources. Roles where the caller may not view end-users
 * are left out.
 */
export async function queryUserApplicationRoles(ctx: Ctx, params: unknown, query: z.infer<typeof userApplicationRolesQuery.schema>) {
  const { key } = parse(userKeyParams, params)
  const sources: Source[] = query.assignmentSources?.length ? [...new Set(query.assignmentSources)] : query.groupKeys ? ['GroupAssigned', 'GroupMapped'] : ['Direct']
  return withTransaction(ctx, async (tx, ctx) => {
    const reach = await requireEndUserReach(tx, ctx, 'endusers.view', 'see end-users')
    await requireVisibleUser(tx, ctx, key)
    const appKeys = query.assetKeys ?? (query.assetKey ? [query.assetKey] : undefined)
    const stageKeys = query.environmentKeys ?? (query.environmentKey ? [query.environmentKey] : undefined)
    const where = and(
      heldThrough(key, sources, query.groupKeys),
      withinReach(reach, appRoleInstances),
      appKeys ? inArray(appRoleInstances.appKey, appKeys) : undefined,
      stageKeys ? inArray(appRoleInstances.stageKey, stageKeys) : undefined,
      query.applicationRoleKeys ? inArray(appRoleInstances.key, query.applicationRoleKeys) : undefined,
      portfolioCondition(query.portfolioKeys),
      applicationRoleNameLike(query.nameContains),
    )
    const { rows, total } = await applicationRolePage(tx, where, query)
    const pageKeys = rows.map((r) => r.key)
    const direct =
      pageKeys.length && sources.includes('Direct')
        ? await tx
            .select({ key: endUserRoleAssignments.instanceKey })
            .from(endUserRoleAssignments)
            .where(and(eq(endUserRoleAssignments.userKey, key), inArray(endUserRoleAssignments.instanceKey, pageKeys)))
        : []
    const types = typesOf(sources)
    const viaGroups =
      pageKeys.length && types.length
        ? await tx
            .select({ instanceKey: groupRoles.instanceKey, key: groups.key, name: groups.name, membershipType: groupMembers.type })
            .from(groupMembers)
            .innerJoin(groups, eq(groups.key, groupMembers.groupKey))
            .innerJoin(groupRoles, eq(groupRoles.groupKey, groupMembers.groupKey))
            .where(and(eq(groupMembers.userKey, key), inArray(groupMembers.type, types), inArray(groupRoles.instanceKey, pageKeys)))
            .orderBy(asc(sql`lower(${groups.name})`), asc(groups.key), asc(groupMembers.type))
        : []
    const directly = new Set(direct.map((d) => d.key))
    const results: UserApplicationRoleResponse[] = rows.map((r) => ({
      ...toApplicationRole(r),
      isDirectlyAssigned: directly.has(r.key),
      assignedGroups: viaGroups.filter((g) => g.instanceKey === r.key).map((g) => ({ key: g.key, name: g.name, membershipType: g.membershipType })),
    }))
    return listResponse(results, query, total)
  })
}

/** POST /users/{key}/application-roles/{roleKey}: a direct grant; granting it again changes nothing. */
export async function grantApplicationRoleToUser(ctx: Ctx, params: unknown): Promise<void> {
  const { key, roleKey } = parse(grantParams, params)
  await grantEndUserRole(ctx, { userKey: key, instanceKey: roleKey })
}

/** DELETE /users/{key}/application-roles/{roleKey}: the direct grant only; the same role through groups stays. */
export async function revokeApplicationRoleForUser(ctx: Ctx, params: unknown): Promise<void> {
  const { key, roleKey } = parse(grantParams, params)
  await revokeEndUserRole(ctx, { userKey: key, instanceKey: roleKey })
}
