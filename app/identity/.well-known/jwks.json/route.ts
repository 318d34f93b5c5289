import { jsonWebKeySet } from '@/lib/api/discovery'
import { clientMeta } from '@/lib/request-meta'

// The public keys that verify API access tokens. Kept short in caches: after a rotation the new
// key signs at once, and verifiers refetch on an unknown kid anyway.
export const dynamic = 'force-dynamic'

export async function GET(request: Request) {
  const keys = await jsonWebKeySet({ actor: null, ...clientMeta(request.headers) })
  return Response.json(keys, { headers: { 'Cache-Control': 'public, max-age=60' } })
}
