import { apiHandler } from '@/lib/api/handler'
import { getBulkUsersFromApi } from '@/lib/api/identity/bulk-users'

// BulkUserProfile_GetBulkUserProfileOperationStatus (API-5).
export const dynamic = 'force-dynamic'

type Params = { key: string }

export const GET = apiHandler<Params>(async (ctx, _request, { key }) => Response.json(await getBulkUsersFromApi(ctx, key)), { api: 'identity' })
