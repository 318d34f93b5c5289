import { accessCheckBody, checkAccessOp } from '@/lib/api/gatehouse/access'
import { jsonBody } from '@/lib/api/body'
import { apiHandler } from '@/lib/api/handler'

// Access_CheckAccess.
export const dynamic = 'force-dynamic'

export const POST = apiHandler(async (ctx, request) => Response.json(await checkAccessOp(ctx, await jsonBody(request, accessCheckBody))))
