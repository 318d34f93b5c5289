import 'server-only'
import { z } from 'zod'
import { withTransaction, type Ctx } from '../../context'
import { NotFoundError } from '../../errors'
import { parse, uuidSchema } from '../../validation'
import { listResponse, limitParam, offsetParam, querySchema } from '../query'
import { requireSomePermission } from './permissions'

// External identity providers through the identity API (API-28, API-29). Gatehouse does not connect
// external OpenID Connect providers yet, so there are none to list: the built-in sign-in is not one
// of them (the API addresses it with `addToBuiltInIdentityProvider`, never by key). The operations
// still authorize and validate like every other, so a script sees the same answers it will once
// providers exist.

export const identityProvidersQuery = querySchema({
  key: uuidSchema.optional(),
  nameContains: z.string().max(200).optional(),
  offset: offsetParam,
  limit: limitParam,
})

/** GET /identity-providers (any permission). */
export async function queryIdentityProviders(ctx: Ctx, query: z.infer<typeof identityProvidersQuery.schema>) {
  return withTransaction(ctx, async (tx, ctx) => {
    await requireSomePermission(tx, ctx)
    return listResponse([], query, 0)
  })
}

/** GET /identity-providers/{key} (any permission). */
export async function readIdentityProvider(ctx: Ctx, params: unknown): Promise<never> {
  parse(z.object({ key: uuidSchema }), params)
  return withTransaction(ctx, async (tx, ctx) => {
    await requireSomePermission(tx, ctx)
    throw new NotFoundError('The identity provider')
  })
}
