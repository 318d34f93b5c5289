import { apiHandler } from '@/lib/api/handler'
import { deleteGroupClaimMapping } from '@/lib/api/identity/groups'

// GroupIdpClaimMapping_DeleteGroupIdpClaimMapping (API-27).
export const dynamic = 'force-dynamic'

export const DELETE = apiHandler<{ key: string; mappingKey: string }>(
  async (ctx, _request, params) => {
    await deleteGroupClaimMapping(ctx, params)
    return new Response(null, { status: 204 })
  },
  { api: 'identity' },
)
