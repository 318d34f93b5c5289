import 'server-only'
import { and, eq, gt, isNull, or } from 'drizzle-orm'
import { apiClientSecrets } from '@/db/schema'
import { audit } from '../audit/record'
import { nowOf, withTransaction, type Ctx } from '../context'
import { parse } from '../validation'
import { rotateApiClientSecretSchema } from './schemas'
import { refuseGrantsBeyondCaller } from './guards'
import { findApiClient, issueSecret, loadClientGrants, requireClientManager, resolveExpiry } from './store'

export type RotatedSecret = {
  clientId: string
  /** Shown once (APIC-4). */
  clientSecret: string
  expiresAt: Date
  /** Until when the secrets it replaced keep working; equal to the rotation's moment without overlap. */
  previousRetiresAt: Date
}

/**
 * Gives the client a new secret with its own expiry and reminder choice (APIC-6); the client id
 * stays. The secrets it replaces stop at once, or — the administrator's choice, up to 72 hours —
 * after an overlap in which both work, so a deployment can switch without downtime (APIC-4).
 */
export async function rotateApiClientSecret(ctx: Ctx, input: unknown): Promise<RotatedSecret> {
  const p = parse(rotateApiClientSecretSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requireClientManager(tx, ctx)
    // The row lock orders concurrent rotations: each retires what the one before it issued.
    const client = await findApiClient(tx, p.clientKey, { forUpdate: true })
    // Whoever holds the new secret acts as this client.
    await refuseGrantsBeyondCaller(tx, ctx, await loadClientGrants(tx, client.key), 'take over, through a new secret, a client holding')
    const now = nowOf(ctx)
    const { expiresOn, expiresAt } = resolveExpiry(p.expiresOn, now)
    const previousRetiresAt = new Date(now.getTime() + p.overlapHours * 3_600_000)
    // Every live secret retires at the end of the overlap at the latest (an earlier overlap is kept).
    const retired = await tx
      .update(apiClientSecrets)
      .set({ retiresAt: previousRetiresAt })
      .where(
        and(
          eq(apiClientSecrets.clientKey, client.key),
          gt(apiClientSecrets.expiresAt, now),
          or(isNull(apiClientSecrets.retiresAt), gt(apiClientSecrets.retiresAt, previousRetiresAt)),
        ),
      )
      .returning({ key: apiClientSecrets.key })
    const clientSecret = await issueSecret(tx, client.key, { expiresAt, remind: p.remind, now })
    await audit(tx, ctx, {
      action: 'api_client.secret_rotated',
      target: { type: 'api_client', key: client.key, label: client.name },
      after: { secretExpiresOn: expiresOn, remind: p.remind },
      details: { overlapHours: p.overlapHours, previousSecretsRetireAt: previousRetiresAt.toISOString(), previousSecrets: retired.length },
    })
    return { clientId: client.clientId, clientSecret, expiresAt, previousRetiresAt }
  })
}
