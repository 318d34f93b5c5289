import 'server-only'
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { groupMembers, groupRoles, groups, stages } from '@/db/schema'
import type { StageRef } from '../authz/model'
import { withTransaction, type Ctx } from '../context'
import { escapeLike, parse } from '../validation'
import { requireSomeStage, stagesWhere } from './access'
import { keysetPage } from '../pagination'
import { listGroupsSchema } from './schemas'

export type GroupListRow = {
  key: string
  name: string
  description: string
  stageKey: string
  stageCode: string
  stageName: string
  roles: number
  users: number
}

export type GroupPage = {
  rows: GroupListRow[]
  next: string | null
  previous: string | null
  total: number
  /** Stages whose groups the actor may see (the stage filter's options). */
  stages: StageRef[]
  /** Stages where the actor may create groups; empty means no "New group". */
  manageStages: StageRef[]
}

/**
 * End-user groups by name (UI-7), limited to the stages where the actor holds endusers.view: that
 * grant can be limited to stages, and a Developer sees only DEV groups.
 */
export async function listGroups(ctx: Ctx, input: unknown): Promise<GroupPage> {
  const p = parse(listGroupsSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const visible = await requireSomeStage(tx, ctx, 'endusers.view', 'see end-user groups')
    const manageStages = await stagesWhere(tx, ctx, 'endusers.manage_groups')
    const stageKeys = visible.filter((s) => !p.stage || s.code.toUpperCase() === p.stage).map((s) => s.key)
    const empty = { rows: [], next: null, previous: null, total: 0, stages: visible, manageStages }
    if (stageKeys.length === 0) return empty

    const filters: SQL[] = [inArray(groups.stageKey, stageKeys)]
    if (p.q) filters.push(sql`lower(${groups.name}) like ${`%${escapeLike(p.q.toLowerCase())}%`}`)
    const where = and(...filters)
    const expr = sql`lower(${groups.name})`
    const page = keysetPage(expr, groups.key, p)
    const fetched = await tx
      .select({
        key: groups.key,
        name: groups.name,
        description: groups.description,
        stageKey: groups.stageKey,
        stageCode: stages.code,
        stageName: stages.name,
        sortValue: sql<string>`${expr}`,
      })
      .from(groups)
      .innerJoin(stages, eq(stages.key, groups.stageKey))
      .where(and(where, page.where))
      .orderBy(...page.orderBy)
      .limit(p.perPage + 1)
    const { rows, next, previous } = page.finish(fetched, p.perPage)
    const [{ n: total }] = await tx.select({ n: sql<number>`count(*)::int` }).from(groups).where(where)

    // Both counts of the page's groups in one query (no N+1).
    const keys = rows.map((r) => r.key)
    const counts = keys.length
      ? await tx
          .select({
            key: groups.key,
            roles: sql<number>`(select count(*)::int from ${groupRoles} where ${groupRoles.groupKey} = ${groups.key})`,
            users: sql<number>`(select count(distinct ${groupMembers.userKey})::int from ${groupMembers} where ${groupMembers.groupKey} = ${groups.key})`,
          })
          .from(groups)
          .where(inArray(groups.key, keys))
      : []
    const countOf = new Map(counts.map((c) => [c.key, c]))
    return {
      ...empty,
      rows: rows.map(({ sortValue: _, ...r }) => ({ ...r, roles: Number(countOf.get(r.key)?.roles ?? 0), users: Number(countOf.get(r.key)?.users ?? 0) })),
      next,
      previous,
      total: Number(total),
    }
  })
}
