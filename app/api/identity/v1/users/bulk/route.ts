import { jsonBody } from '@/lib/api/body'
import { apiHandler } from '@/lib/api/handler'
import { bulkCreateUsersBody, submitBulkUsersFromApi } from '@/lib/api/identity/bulk-users'

// BulkUserProfile_CreateBulkUserProfilesOperation (API-4): 202 with the operation to poll.
export const dynamic = 'force-dynamic'

export const POST = apiHandler(
  async (ctx, request) => {
    const operation = await submitBulkUsersFromApi(ctx, await jsonBody(request, bulkCreateUsersBody))
    return Response.json(operation, { status: 202, headers: { Location: `/api/identity/v1/users/bulk/${operation.key}` } })
  },
  { api: 'identity', rateLimit: 'bulk' },
)
