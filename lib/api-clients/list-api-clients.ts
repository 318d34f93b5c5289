import 'server-only'
import { and, count, inArray, sql, type SQL } from 'drizzle-orm'
import { apiClientPermissions, apiClients, apiClientSecrets, organizations } from '@/db/schema'
import { nowOf, withTransaction, type Ctx } from '../context'
import { keysetPage } from '../pagination'
import { escapeLike, parse } from '../validation'
import { listApiClientsSchema } from './schemas'
import { apiClientStatus, currentSecret, statusFromSlug, type ApiClientStatus } from './status'
import { requireClientManager, statusSql } from './store'

export type ApiClientListRow = {
  key: string
  name: string
  clientId: string
  description: string
  status: ApiClientStatus
  /** When the secret in use expires; null when none works any more. */
  secretExpiresAt: Date | null
  permissionCount: number
}

export type ApiClientPage = {
  rows: ApiClientListRow[]
  next: string | null
  previous: string | null
  /** Clients matching the filters. */
  total: number
  /** Clients in the organization, and how many it may have (APIC-1). */
  count: number
  limit: number
  status: ApiClientStatus | undefined
}

/**
 * The /api-clients list (UI-9) in name order, a keyset page at a time; search in the name or the
 * client id; filter by derived status (the same rules in SQL as lib/api-clients/status.ts).
 */
export async function listApiClients(ctx: Ctx, input: unknown): Promise<ApiClientPage> {
  const p = parse(listApiClientsSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requireClientManager(tx, ctx)
    const now = nowOf(ctx)
    const status = statusFromSlug(p.status)
    const filters: SQL[] = []
    if (p.q) {
      const term = `%${escapeLike(p.q.toLowerCase())}%`
      filters.push(sql`(lower(${apiClients.name}) like ${term} or ${apiClients.clientId} like ${term})`)
    }
    if (status) filters.push(sql`${statusSql(now)} = ${status}`)
    const where = filters.length ? and(...filters) : undefined
    const expr = sql`lower(${apiClients.name})`
    const page = keysetPage(expr, apiClients.key, p)
    const fetched = await tx
      .select({ key: apiClients.key, name: apiClients.name, clientId: apiClients.clientId, description: apiClients.description, suspendedAt: apiClients.suspendedAt, sortValue: sql<string>`${expr}` })
      .from(apiClients)
      .where(and(where, page.where))
      .orderBy(...page.orderBy)
      .limit(p.perPage + 1)
    const { rows, next, previous } = page.finish(fetched, p.perPage)
    const [{ n: total }] = await tx.select({ n: count() }).from(apiClients).where(where)
    const [{ n: all }] = await tx.select({ n: count() }).from(apiClients)
    const [org] = await tx.select({ limit: organizations.apiClientLimit }).from(organizations)

    // The page's secrets and permission counts in two queries (no N+1).
    const keys = rows.map((r) => r.key)
    const secrets = keys.length
      ? await tx
          .select({ clientKey: apiClientSecrets.clientKey, expiresAt: apiClientSecrets.expiresAt, retiresAt: apiClientSecrets.retiresAt, createdAt: apiClientSecrets.createdAt })
          .from(apiClientSecrets)
          .where(inArray(apiClientSecrets.clientKey, keys))
      : []
    const counts = keys.length
      ? await tx.select({ clientKey: apiClientPermissions.clientKey, n: count() }).from(apiClientPermissions).where(inArray(apiClientPermissions.clientKey, keys)).groupBy(apiClientPermissions.clientKey)
      : []
    const countOf = new Map(counts.map((c) => [c.clientKey, Number(c.n)]))
    return {
      rows: rows.map((r) => {
        const own = secrets.filter((s) => s.clientKey === r.key)
        const permissionCount = countOf.get(r.key) ?? 0
        return {
          key: r.key,
          name: r.name,
          clientId: r.clientId,
          description: r.description,
          status: apiClientStatus({ suspendedAt: r.suspendedAt, secrets: own, permissionCount, now }),
          secretExpiresAt: currentSecret(own, now)?.expiresAt ?? null,
          permissionCount,
        }
      }),
      next,
      previous,
      total: Number(total),
      count: Number(all),
      limit: org?.limit ?? 0,
      status,
    }
  })
}
