import { identityOpenApi } from '@/lib/api/identity/openapi'

// The identity API's OpenAPI document (API-2). Public: it describes operations, not data.
export const dynamic = 'force-static'

export function GET() {
  return Response.json(identityOpenApi(), { headers: { 'Cache-Control': 'public, max-age=300' } })
}
