import 'server-only'
import { and, eq, gt, isNull, or } from 'drizzle-orm'
import type { Executor } from '@/db/client'
import { apiClients, apiClientSecrets } from '@/db/schema'
import { secretMatches } from './secret'

export type AuthenticatedClient = { clientKey: string; name: string }

/**
 * The client whose id and secret these are, or null (APIC-3, APIC-4). A suspended client has no
 * valid secret; a secret works until its expiry and, once replaced by a rotation, until `retiresAt`.
 * Looked up by the public client id, then each live secret is compared in constant time: every
 * failure answers the same null, so a caller cannot tell an unknown id from a wrong secret.
 */
export async function authenticateClientSecret(tx: Executor, clientId: string, secret: string, now: Date): Promise<AuthenticatedClient | null> {
  if (!clientId || !secret || clientId.length > 64 || secret.length > 256) return null
  const rows = await tx
    .select({ clientKey: apiClients.key, name: apiClients.name, secretHash: apiClientSecrets.secretHash })
    .from(apiClients)
    .innerJoin(apiClientSecrets, eq(apiClientSecrets.clientKey, apiClients.key))
    .where(
      and(
        eq(apiClients.clientId, clientId),
        isNull(apiClients.suspendedAt),
        gt(apiClientSecrets.expiresAt, now),
        or(isNull(apiClientSecrets.retiresAt), gt(apiClientSecrets.retiresAt, now)),
      ),
    )
  // Compare with every live secret (at most two, during a rotation's overlap) without stopping early.
  let match: AuthenticatedClient | null = null
  for (const row of rows) if (secretMatches(secret, row.secretHash) && !match) match = { clientKey: row.clientKey, name: row.name }
  return match
}
