import 'server-only'
import { and, asc, count, eq, exists, inArray, sql } from 'drizzle-orm'
import { z } from 'zod'
import { appRoleInstances, groupMembers, groupRoles, groups, type GroupMembershipType } from '@/db/schema'
import { withTransaction, type Ctx } from '../../context'
import { requireSomeStage } from '../../groups/access'
import { escapeLike, parse, uuidSchema } from '../../validation'
import { arrayParam, listResponse, limitParam, offsetParam, querySchema } from '../query'
import { enumParam, portfolioCondition } from './application-roles'
import { requireVisibleUser } from './user-roles'

// The groups a user is in, through ODC's identity API (API-9, API-S7): only groups of the stages
// where the caller may manage end-user groups (a grant limited to stages sees those stages). The
// group is in ODC's GroupApiResponse shape; Gatehouse groups have no identity provider claim
// mappings yet, and its one portfolio has no key (portfolioKey is left out).

export const userGroupsQuery = querySchema(
  {
    nameContains: z.string().max(200).optional(),
    assetKey: uuidSchema.optional(),
    environmentKey: uuidSchema.optional(),
    environmentKeys: arrayParam(uuidSchema),
    portfolioKeys: arrayParam(uuidSchema),
    membershipType: enumParam(['Assigned', 'Mapped'] as const).optional(),
    offset: offsetParam,
    limit: limitParam,
  },
  { exclusive: [['environmentKey', 'environmentKeys']] },
)

export type GroupResponse = {
  key: string
  name: string | null
  description: string | null
  environmentKey: string
  updatedAt: string
  groupIdpClaimMappings: never[]
}

export type UserGroupResponse = { membershipTypes: GroupMembershipType[]; group: GroupResponse }

/**
 * GET /users/{key}/groups, by group name. `membershipType` keeps the groups the user is in that
 * way; `membershipTypes` still lists every way they are in each group.
 */
export async function queryUserGroups(ctx: Ctx, params: unknown, query: z.infer<typeof userGroupsQuery.schema>) {
  const { key } = parse(z.object({ key: uuidSchema }), params)
  return withTransaction(ctx, async (tx, ctx) => {
    const allowed = (await requireSomeStage(tx, ctx, 'endusers.manage_groups', 'see end-user groups')).map((s) => s.key)
    const memberOf = (type?: GroupMembershipType) =>
      exists(
        tx
          .select({ one: sql`1` })
          .from(groupMembers)
          .where(and(eq(groupMembers.groupKey, groups.key), eq(groupMembers.userKey, key), type ? eq(groupMembers.type, type) : undefined)),
      )
    // A member of a group the caller manages is visible to them, even with no role from it.
    await requireVisibleUser(tx, ctx, key, async () => (await tx.select({ one: sql`1` }).from(groups).where(and(inArray(groups.stageKey, allowed), memberOf())).limit(1)).length > 0)
    const stageKeys = query.environmentKeys ?? (query.environmentKey ? [query.environmentKey] : undefined)
    const term = query.nameContains?.trim().toLowerCase()
    const where = and(
      inArray(groups.stageKey, allowed),
      memberOf(query.membershipType),
      stageKeys ? inArray(groups.stageKey, stageKeys) : undefined,
      portfolioCondition(query.portfolioKeys),
      term ? sql`lower(${groups.name}) like ${`%${escapeLike(term)}%`}` : undefined,
      query.assetKey
        ? exists(
            tx
              .select({ one: sql`1` })
              .from(groupRoles)
              .innerJoin(appRoleInstances, eq(appRoleInstances.key, groupRoles.instanceKey))
              .where(and(eq(groupRoles.groupKey, groups.key), eq(appRoleInstances.appKey, query.assetKey))),
          )
        : undefined,
    )
    const rows = await tx
      .select({ key: groups.key, name: groups.name, description: groups.description, stageKey: groups.stageKey, updatedAt: groups.updatedAt })
      .from(groups)
      .where(where)
      .orderBy(asc(sql`lower(${groups.name})`), asc(groups.key))
      .limit(query.limit)
      .offset(query.offset)
    const [{ n }] = await tx.select({ n: count() }).from(groups).where(where)
    const memberships = rows.length
      ? await tx
          .select({ groupKey: groupMembers.groupKey, type: groupMembers.type })
          .from(groupMembers)
          .where(and(eq(groupMembers.userKey, key), inArray(groupMembers.groupKey, rows.map((r) => r.key))))
          .orderBy(asc(groupMembers.type))
      : []
    const results: UserGroupResponse[] = rows.map((g) => ({
      membershipTypes: memberships.filter((m) => m.groupKey === g.key).map((m) => m.type),
      group: { key: g.key, name: g.name, description: g.description || null, environmentKey: g.stageKey, updatedAt: g.updatedAt.toISOString(), groupIdpClaimMappings: [] },
    }))
    return listResponse(results, query, n)
  })
}
