import { jsonBody } from '@/lib/api/body'
import { apiHandler } from '@/lib/api/handler'
import { deleteGroupFromApi, readGroup, updateGroupBody, updateGroupFromApi } from '@/lib/api/identity/groups'

// Group_ReadGroup (API-20), Group_UpdateGroup (API-21) and Group_DeleteGroup (API-22).
export const dynamic = 'force-dynamic'

type Params = { key: string }

export const GET = apiHandler<Params>(async (ctx, _request, params) => Response.json(await readGroup(ctx, params)), { api: 'identity' })

export const PATCH = apiHandler<Params>(
  async (ctx, request, params) => {
    await updateGroupFromApi(ctx, params, await jsonBody(request, updateGroupBody))
    return new Response(null, { status: 204 })
  },
  { api: 'identity' },
)

export const DELETE = apiHandler<Params>(
  async (ctx, _request, params) => {
    await deleteGroupFromApi(ctx, params)
    return new Response(null, { status: 204 })
  },
  { api: 'identity' },
)
