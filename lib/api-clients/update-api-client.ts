import 'server-only'
import { and, eq, sql } from 'drizzle-orm'
import { apiClients } from '@/db/schema'
import { audit, diff } from '../audit/record'
import { nowOf, withTransaction, type Ctx } from '../context'
import { ConflictError } from '../errors'
import { parse } from '../validation'
import { updateApiClientSchema } from './schemas'
import { checkVersion, findApiClient, refuseTakenName, requireClientManager, STALE_CLIENT_MESSAGE, uniqueNameError } from './store'

/**
 * Renames or redescribes an API client (APIC-5). The form names the version it started from: a
 * save over someone else's is refused, never silently merged.
 */
export async function updateApiClient(ctx: Ctx, input: unknown): Promise<{ version: number }> {
  const p = parse(updateApiClientSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requireClientManager(tx, ctx)
    const client = await findApiClient(tx, p.clientKey, { forUpdate: true })
    checkVersion(client, p.version)
    const { before, after } = diff({ name: client.name, description: client.description }, { name: p.name, description: p.description })
    if (Object.keys(after).length === 0) return { version: client.version }
    if (after.name !== undefined) await refuseTakenName(tx, p.name, client.key)
    const updated = await tx
      .transaction((sp) =>
        sp
          .update(apiClients)
          .set({ name: p.name, description: p.description, version: sql`${apiClients.version} + 1`, updatedAt: nowOf(ctx) })
          .where(and(eq(apiClients.key, client.key), eq(apiClients.version, client.version)))
          .returning({ version: apiClients.version }),
      )
      .catch(uniqueNameError)
    if (updated.length !== 1) throw new ConflictError(STALE_CLIENT_MESSAGE)
    await audit(tx, ctx, { action: 'api_client.updated', target: { type: 'api_client', key: client.key, label: p.name }, before, after })
    return { version: updated[0].version }
  })
}
