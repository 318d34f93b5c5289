import 'server-only'
import { count } from 'drizzle-orm'
import { apiClients, organizations } from '@/db/schema'
import type { GrantedPermission } from '../authz/model'
import { nowOf, withTransaction, type Ctx } from '../context'
import { loadPermissionRegistry, type PermissionRegistry } from '../roles/permission-registry'
import { parse } from '../validation'
import { expiryBounds, type ExpiryBounds } from './expiry'
import { clientKeySchema } from './schemas'
import { apiClientStatus, currentSecret, isLive, type ApiClientStatus } from './status'
import { findApiClient, loadClientGrants, loadSecrets, requireClientManager } from './store'

export type SecretSummary = { expiresAt: Date; remind: boolean; remindedAt: Date | null; createdAt: Date }

export type ApiClientDetail = {
  key: string
  clientId: string
  name: string
  description: string
  /** Carried by the edit forms: a save names the version it started from. */
  version: number
  status: ApiClientStatus
  suspendedAt: Date | null
  createdAt: Date
  updatedAt: Date
  permissions: GrantedPermission[]
  /** The secret in use; null when none works any more. Never the secret itself. */
  secret: SecretSummary | null
  /** Replaced secrets still inside their rotation overlap, with the moment each stops. */
  retiring: Array<{ retiresAt: Date; createdAt: Date }>
  registry: PermissionRegistry
  /** The dates a new secret may expire on, for the rotation form. */
  expiry: ExpiryBounds
}

/** One API client for /api-clients/[key] (UI-9): its state, permissions and secret, never the secret's value. */
export async function getApiClient(ctx: Ctx, input: unknown): Promise<ApiClientDetail> {
  const { clientKey } = parse(clientKeySchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requireClientManager(tx, ctx)
    const client = await findApiClient(tx, clientKey)
    const now = nowOf(ctx)
    const permissions = await loadClientGrants(tx, client.key)
    const secrets = await loadSecrets(tx, client.key)
    const current = currentSecret(secrets, now)
    return {
      key: client.key,
      clientId: client.clientId,
      name: client.name,
      description: client.description,
      version: client.version,
      status: apiClientStatus({ suspendedAt: client.suspendedAt, secrets, permissionCount: permissions.length, now }),
      suspendedAt: client.suspendedAt,
      createdAt: client.createdAt,
      updatedAt: client.updatedAt,
      permissions,
      secret: current ? { expiresAt: current.expiresAt, remind: current.remind, remindedAt: current.remindedAt, createdAt: current.createdAt } : null,
      retiring: secrets.filter((s) => s !== current && isLive(s, now) && s.retiresAt !== null).map((s) => ({ retiresAt: s.retiresAt!, createdAt: s.createdAt })),
      registry: await loadPermissionRegistry(tx, ctx),
      expiry: expiryBounds(now),
    }
  })
}

export type NewApiClientOptions = { registry: PermissionRegistry; expiry: ExpiryBounds; count: number; limit: number }

/** What /api-clients/new needs: the registry, the expiry dates allowed, and how many clients exist of how many allowed. */
export async function getNewApiClientOptions(ctx: Ctx): Promise<NewApiClientOptions> {
  return withTransaction(ctx, async (tx, ctx) => {
    await requireClientManager(tx, ctx)
    const [org] = await tx.select({ limit: organizations.apiClientLimit }).from(organizations)
    const [{ n }] = await tx.select({ n: count() }).from(apiClients)
    return { registry: await loadPermissionRegistry(tx, ctx), expiry: expiryBounds(nowOf(ctx)), count: n, limit: org?.limit ?? 0 }
  })
}
