import { apiHandler } from '@/lib/api/handler'
import { identityProvidersQuery, queryIdentityProviders } from '@/lib/api/identity/identity-providers'
import { parseQuery } from '@/lib/api/query'

// IdentityProvider_QueryIdentityProviders (API-28).
export const dynamic = 'force-dynamic'

export const GET = apiHandler(async (ctx, request) => Response.json(await queryIdentityProviders(ctx, parseQuery(identityProvidersQuery, request))), { api: 'identity' })
