import 'server-only'
import { eq, sql } from 'drizzle-orm'
import { organizations } from '@/db/schema'
import { audit } from '../audit/record'
import { requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { parse } from '../validation'
import { lockOrganization } from './access'
import { updateInternalDomainsSchema } from './schemas'

export type InternalDomainsChange = { changed: boolean; domains: string[]; usersReclassified: number; becameInternal: number; becameExternal: number }

/**
 * Sets the internal user domains (CLS-1, SUB-1) and reclassifies everyone in the same transaction:
 * a user is internal when they have no email, when no domain is listed, or when their email's
 * domain (ignoring case) is listed. The rule is the one the users_classify trigger applies to each
 * new or changed email (migration 0007); here it runs as one set-based UPDATE that touches only
 * the users whose class changes, so the live counts (CLS-2) follow through their triggers.
 */
export async function updateInternalDomains(ctx: Ctx, input: unknown): Promise<InternalDomainsChange> {
  const { domains } = parse(updateInternalDomainsSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'subscription.manage')
    const org = await lockOrganization(tx)
    const sameSet = org.internalDomains.length === domains.length && domains.every((d) => org.internalDomains.includes(d))
    if (sameSet && org.internalDomains.join() === domains.join()) return { changed: false, domains, usersReclassified: 0, becameInternal: 0, becameExternal: 0 }
    await tx.update(organizations).set({ internalDomains: domains, updatedAt: nowOf(ctx) }).where(eq(organizations.key, org.key))
    let becameInternal = 0
    let becameExternal = 0
    if (!sameSet) {
      // The rule of CLS-1 lives in the database function the classification trigger uses (migration 0007).
      const internal = sql`gatehouse_is_internal(u.email, o.internal_domains)`
      const [counts] = (
        await tx.execute<{ internal: number; external: number }>(sql`
          with changed as (
            update users u set is_internal = ${internal}
            from organizations o
            where o.key = ${org.key} and u.is_internal is distinct from ${internal}
            returning u.is_internal)
          select (count(*) filter (where is_internal))::int as internal, (count(*) filter (where not is_internal))::int as external from changed`)
      ).rows
      becameInternal = counts.internal
      becameExternal = counts.external
    }
    await audit(tx, ctx, {
      action: 'organization.internal_domains_changed',
      target: { type: 'organization', key: org.key, label: org.name },
      before: { internalDomains: org.internalDomains },
      after: { internalDomains: domains },
      details: { usersReclassified: becameInternal + becameExternal, becameInternal, becameExternal },
    })
    return { changed: true, domains, usersReclassified: becameInternal + becameExternal, becameInternal, becameExternal }
  })
}
