import 'server-only'
import { eq } from 'drizzle-orm'
import { apiClients } from '@/db/schema'
import { audit } from '../audit/record'
import { catalogueFor } from '../authz'
import { withTransaction, type Ctx } from '../context'
import { grantStrings } from '../roles/coverage'
import { parse } from '../validation'
import { refuseSelf } from './guards'
import { clientKeySchema } from './schemas'
import { findApiClient, loadClientGrants, requireClientManager } from './store'

/**
 * Deletes an API client with its secrets and permissions (APIC-9). Its tokens stop working at once:
 * every API call looks the client up, and it is gone.
 */
export async function deleteApiClient(ctx: Ctx, input: unknown): Promise<{ deleted: true }> {
  const { clientKey } = parse(clientKeySchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requireClientManager(tx, ctx)
    refuseSelf(ctx, clientKey, 'delete')
    const client = await findApiClient(tx, clientKey, { forUpdate: true })
    const catalogue = await catalogueFor(tx, ctx)
    const permissions = grantStrings(await loadClientGrants(tx, client.key), catalogue)
    // Secrets and permissions go with it (ON DELETE CASCADE).
    await tx.delete(apiClients).where(eq(apiClients.key, client.key))
    await audit(tx, ctx, {
      action: 'api_client.deleted',
      target: { type: 'api_client', key: client.key, label: client.name },
      before: { name: client.name, description: client.description, clientId: client.clientId, suspended: client.suspendedAt !== null, permissions },
    })
    return { deleted: true }
  })
}
