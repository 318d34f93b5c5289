import { apiHandler } from '@/lib/api/handler'
import { readIdentityProvider } from '@/lib/api/identity/identity-providers'

// IdentityProvider_ReadIdentityProvider (API-29).
export const dynamic = 'force-dynamic'

export const GET = apiHandler<{ key: string }>(async (ctx, _request, params) => Response.json(await readIdentityProvider(ctx, params)), { api: 'identity' })
