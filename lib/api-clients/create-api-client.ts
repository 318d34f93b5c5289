import 'server-only'
import { count } from 'drizzle-orm'
import { apiClients, organizations } from '@/db/schema'
import { audit } from '../audit/record'
import { catalogueFor } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { ConflictError, PreconditionFailedError } from '../errors'
import { grantStrings } from '../roles/coverage'
import { normalizeGrants } from '../roles/role-store'
import { parse } from '../validation'
import { refuseGrantsBeyondCaller } from './guards'
import { createApiClientSchema } from './schemas'
import { newClientId } from './secret'
import { issueSecret, refuseTakenName, replaceClientGrants, requireClientManager, resolveExpiry, uniqueNameError } from './store'

export type CreatedApiClient = {
  clientKey: string
  clientId: string
  /** Shown once (APIC-4): only a hash is kept. */
  clientSecret: string
  expiresAt: Date
}

/**
 * Creates an API client with its first secret (APIC-2). Permissions come from the same registry as
 * organization roles and are checked the same way (known slugs, stage limits only where allowed).
 * An organization has at most `apiClientLimit` clients (APIC-1, 35 by default).
 */
export async function createApiClient(ctx: Ctx, input: unknown): Promise<CreatedApiClient> {
  const p = parse(createApiClientSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requireClientManager(tx, ctx)
    const now = nowOf(ctx)
    const { expiresOn, expiresAt } = resolveExpiry(p.expiresOn, now)
    const catalogue = await catalogueFor(tx, ctx)
    const grants = normalizeGrants(p.permissions, catalogue)
    await refuseGrantsBeyondCaller(tx, ctx, grants, 'give out')
    // The organization's row lock makes concurrent creations count one after the other.
    const [org] = await tx.select({ limit: organizations.apiClientLimit }).from(organizations).for('update')
    if (!org) throw new PreconditionFailedError('Gatehouse has not been set up yet: there is no organization to add an API client to.')
    const [{ n }] = await tx.select({ n: count() }).from(apiClients)
    if (n >= org.limit) throw new ConflictError(`An organization can have at most ${org.limit} API clients; delete one first.`)
    await refuseTakenName(tx, p.name)

    const clientId = newClientId()
    const actor = ctx.actor?.type === 'user' ? ctx.actor.userKey : null
    // A savepoint, so a lost race on the name becomes a field error without aborting a caller's transaction.
    const [client] = await tx
      .transaction((sp) => sp.insert(apiClients).values({ clientId, name: p.name, description: p.description, createdAt: now, updatedAt: now, createdBy: actor }).returning({ key: apiClients.key }))
      .catch(uniqueNameError)
    await replaceClientGrants(tx, client.key, grants)
    const clientSecret = await issueSecret(tx, client.key, { expiresAt, remind: p.remind, now })
    await audit(tx, ctx, {
      action: 'api_client.created',
      target: { type: 'api_client', key: client.key, label: p.name },
      after: { name: p.name, description: p.description, clientId, secretExpiresOn: expiresOn, remind: p.remind, permissions: grantStrings(grants, catalogue) },
    })
    return { clientKey: client.key, clientId, clientSecret, expiresAt }
  })
}
