import 'server-only'
import { eq } from 'drizzle-orm'
import { apiClients } from '@/db/schema'
import { principalFor } from '../authz'
import { permissionsBySlug } from '../authz/catalogue'
import { withTransaction, type Ctx } from '../context'
import { ForbiddenError, UnauthenticatedError } from '../errors'

export type WhoAmI = { clientId: string; name: string; permissions: Array<{ slug: string; stageKeys: string[] | null }> }

/**
 * The calling API client and the permissions it holds right now (GET /api/gatehouse/v1/whoami):
 * loaded from the database on this call, never from the token (APIC-4). `stageKeys` null means
 * every stage.
 */
export async function whoAmI(ctx: Ctx): Promise<WhoAmI> {
  return withTransaction(ctx, async (tx, ctx) => {
    const actor = ctx.actor
    if (actor?.type !== 'api_client') throw new ForbiddenError('Only an API client can ask this.')
    const principal = await principalFor(tx, ctx)
    const [client] = await tx.select({ clientId: apiClients.clientId, name: apiClients.name }).from(apiClients).where(eq(apiClients.key, actor.clientKey))
    if (!client) throw new UnauthenticatedError('This API client is suspended or no longer exists.')
    const permissions = principal.grants
      .flatMap((g) => g.permissions)
      .sort((a, b) => (permissionsBySlug.get(a.slug)?.position ?? 0) - (permissionsBySlug.get(b.slug)?.position ?? 0))
      .map((p) => ({ slug: p.slug, stageKeys: p.stageKeys ? [...p.stageKeys].sort() : null }))
    return { clientId: client.clientId, name: client.name, permissions }
  })
}
