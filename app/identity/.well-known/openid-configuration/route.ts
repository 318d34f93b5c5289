import { discoveryDocument } from '@/lib/api/discovery'

// Where clients find the token endpoint and the keys (APIC-10): at the issuer, as ODC serves it.
export const dynamic = 'force-dynamic'

export async function GET() {
  return Response.json(discoveryDocument(), { headers: { 'Cache-Control': 'public, max-age=300' } })
}
