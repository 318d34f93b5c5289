import { apiHandler } from '@/lib/api/handler'
import { readPermission } from '@/lib/api/identity/permissions'

// Permission_ReadPermission (API-37).
export const dynamic = 'force-dynamic'

export const GET = apiHandler<{ key: string }>(async (ctx, _request, params) => Response.json(await readPermission(ctx, params)), { api: 'identity' })
