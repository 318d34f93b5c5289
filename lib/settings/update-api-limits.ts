import 'server-only'
import { eq } from 'drizzle-orm'
import { organizations } from '@/db/schema'
import { audit } from '../audit/record'
import { requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { parse } from '../validation'
import { lockOrganization } from './access'
import { updateApiLimitsSchema, type ApiLimits } from './schemas'

/**
 * The organization's API limits (API-3, APIC-1): requests a minute for each API, bulk user
 * creations a minute, and how many API clients it may have. A new rate applies from the next
 * request; a client limit below today's number of clients keeps them all but allows no new one.
 */
export async function updateApiLimits(ctx: Ctx, input: unknown): Promise<{ changed: boolean }> {
  const limits = parse(updateApiLimitsSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'org.manage')
    const org = await lockOrganization(tx)
    const before: ApiLimits = { apiRateLimit: org.apiRateLimit, bulkRateLimit: org.bulkRateLimit, apiClientLimit: org.apiClientLimit }
    const changed = (Object.keys(limits) as Array<keyof ApiLimits>).filter((k) => limits[k] !== before[k])
    if (!changed.length) return { changed: false }
    await tx
      .update(organizations)
      .set({ ...limits, updatedAt: nowOf(ctx) })
      .where(eq(organizations.key, org.key))
    await audit(tx, ctx, {
      action: 'organization.api_limits_changed',
      target: { type: 'organization', key: org.key, label: org.name },
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: Object.fromEntries(changed.map((k) => [k, limits[k]])),
    })
    return { changed: true }
  })
}
