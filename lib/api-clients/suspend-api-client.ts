import 'server-only'
import { eq } from 'drizzle-orm'
import { apiClients } from '@/db/schema'
import { audit } from '../audit/record'
import { nowOf, withTransaction, type Ctx } from '../context'
import { parse } from '../validation'
import { refuseSelf } from './guards'
import { clientKeySchema } from './schemas'
import { findApiClient, requireClientManager } from './store'

/**
 * Suspends an API client (APIC-8): its secret and every token it holds stop working at once,
 * because each token request and each API call checks the client's current state. Suspending a
 * suspended client changes nothing.
 */
export async function suspendApiClient(ctx: Ctx, input: unknown): Promise<{ suspended: boolean }> {
  return setSuspended(ctx, input, true)
}

/**
 * Resumes a suspended client: its secret (if not expired) and its unexpired tokens work again
 * (APIC-8); with an expired secret its status is Expired until the secret is rotated.
 */
export async function resumeApiClient(ctx: Ctx, input: unknown): Promise<{ suspended: boolean }> {
  return setSuspended(ctx, input, false)
}

async function setSuspended(ctx: Ctx, input: unknown, suspend: boolean): Promise<{ suspended: boolean }> {
  const { clientKey } = parse(clientKeySchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requireClientManager(tx, ctx)
    if (suspend) refuseSelf(ctx, clientKey, 'suspend')
    const client = await findApiClient(tx, clientKey, { forUpdate: true })
    if ((client.suspendedAt !== null) === suspend) return { suspended: suspend }
    const now = nowOf(ctx)
    await tx.update(apiClients).set({ suspendedAt: suspend ? now : null, updatedAt: now }).where(eq(apiClients.key, client.key))
    await audit(tx, ctx, {
      action: suspend ? 'api_client.suspended' : 'api_client.resumed',
      target: { type: 'api_client', key: client.key, label: client.name },
      before: { suspended: !suspend },
      after: { suspended: suspend },
    })
    return { suspended: suspend }
  })
}
