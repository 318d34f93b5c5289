import { handleTokenRequest } from '@/lib/api/token-endpoint'

// OAuth 2.0 token endpoint for API clients (APIC-3): client credentials grant.
export const dynamic = 'force-dynamic'

export async function POST(request: Request) {
  return handleTokenRequest(request)
}
