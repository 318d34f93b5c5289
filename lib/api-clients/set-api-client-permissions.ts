import 'server-only'
import { eq, sql } from 'drizzle-orm'
import { apiClients } from '@/db/schema'
import { audit } from '../audit/record'
import { catalogueFor } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { grantStrings } from '../roles/coverage'
import { normalizeGrants } from '../roles/role-store'
import { parse } from '../validation'
import { grantsAdded, refuseGrantsBeyondCaller } from './guards'
import { setApiClientPermissionsSchema } from './schemas'
import { checkVersion, findApiClient, loadClientGrants, permissionChange, replaceClientGrants, requireClientManager } from './store'

export type PermissionsChange = { version: number; added: string[]; removed: string[] }

/**
 * Replaces the client's permissions (APIC-5). Every API call loads them afresh, so the change holds
 * from the client's next call, whatever tokens it holds (APIC-4). The audit event lists what the
 * client gains and loses once inheritance is applied.
 */
export async function setApiClientPermissions(ctx: Ctx, input: unknown): Promise<PermissionsChange> {
  const p = parse(setApiClientPermissionsSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requireClientManager(tx, ctx)
    const client = await findApiClient(tx, p.clientKey, { forUpdate: true })
    checkVersion(client, p.version)
    const catalogue = await catalogueFor(tx, ctx)
    const grants = normalizeGrants(p.permissions, catalogue)
    const current = await loadClientGrants(tx, client.key)
    await refuseGrantsBeyondCaller(tx, ctx, grantsAdded(current, grants), 'give out')
    const before = grantStrings(current, catalogue)
    const after = grantStrings(grants, catalogue)
    if (JSON.stringify(before) === JSON.stringify(after)) return { version: client.version, added: [], removed: [] }
    await replaceClientGrants(tx, client.key, grants)
    const [updated] = await tx
      .update(apiClients)
      .set({ version: sql`${apiClients.version} + 1`, updatedAt: nowOf(ctx) })
      .where(eq(apiClients.key, client.key))
      .returning({ version: apiClients.version })
    const change = permissionChange(current, grants, catalogue)
    await audit(tx, ctx, {
      action: 'api_client.permissions_changed',
      target: { type: 'api_client', key: client.key, label: client.name },
      before: { permissions: before },
      after: { permissions: after },
      details: { impact: change },
    })
    return { version: updated.version, ...change }
  })
}
