import { gatehouseOpenApi } from '@/lib/api/gatehouse/openapi'

// The Gatehouse API's OpenAPI document (API-2, API-5). Public: it describes operations, not data.
export const dynamic = 'force-static'

export function GET() {
  return Response.json(gatehouseOpenApi(), { headers: { 'Cache-Control': 'public, max-age=300' } })
}
