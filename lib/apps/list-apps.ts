import 'server-only'
import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { appRoles, appStages, apps, stages } from '@/db/schema'
import { hasPermission } from '../authz'
import { withTransaction, type Ctx } from '../context'
import { keysetPage } from '../pagination'
import { escapeLike, parse } from '../validation'
import { openableApps } from './access'
import { listAppsSchema } from './schemas'

export type AppRow = {
  key: string
  name: string
  description: string
  /** Codes of the stages the app is deployed to, in stage order. */
  stageCodes: string[]
  roleCount: number
}

export type AppPage = {
  rows: AppRow[]
  next: string | null
  previous: string | null
  /** Apps matching the search that the actor may open. */
  total: number
  /** Whether the actor may create apps (for the call to action; createApp checks again). */
  canCreate: boolean
}

const sortKey = sql<string>`lower(${apps.name})`

/**
 * The apps list (UI-6), by name, keyset-paginated over apps_name_idx. Members who may open apps
 * only through app-scope roles see just those apps.
 */
export async function listApps(ctx: Ctx, input: unknown): Promise<AppPage> {
  const p = parse(listAppsSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const visible = await openableApps(tx, ctx)
    const canCreate = await hasPermission(tx, ctx, 'asset.create')
    const filters: (SQL | undefined)[] = []
    if (visible) filters.push(inArray(apps.key, visible))
    if (p.q) filters.push(sql`${sortKey} like ${`%${escapeLike(p.q.toLowerCase())}%`}`)
    const where = and(...filters)

    const keyset = keysetPage(sortKey, apps.key, p)
    const fetched = await tx
      .select({ key: apps.key, name: apps.name, description: apps.description, sortValue: sortKey })
      .from(apps)
      .where(and(where, keyset.where))
      .orderBy(...keyset.orderBy)
      .limit(p.perPage + 1)
    const { rows: page, next, previous } = keyset.finish(fetched, p.perPage)

    const [{ n: total }] = await tx.select({ n: count() }).from(apps).where(where)

    // Stages and role counts of this page only, one query each.
    const keys = page.map((a) => a.key)
    const deployed = keys.length
      ? await tx
          .select({ appKey: appStages.appKey, code: stages.code })
          .from(appStages)
          .innerJoin(stages, eq(stages.key, appStages.stageKey))
          .where(inArray(appStages.appKey, keys))
          .orderBy(asc(stages.position))
      : []
    const roleCounts = keys.length
      ? await tx.select({ appKey: appRoles.appKey, n: count() }).from(appRoles).where(inArray(appRoles.appKey, keys)).groupBy(appRoles.appKey)
      : []
    const countOf = new Map(roleCounts.map((r) => [r.appKey, r.n]))

    return {
      rows: page.map((a) => ({
        key: a.key,
        name: a.name,
        description: a.description,
        stageCodes: deployed.filter((d) => d.appKey === a.key).map((d) => d.code),
        roleCount: countOf.get(a.key) ?? 0,
      })),
      next,
      previous,
      total,
      canCreate,
    }
  })
}
