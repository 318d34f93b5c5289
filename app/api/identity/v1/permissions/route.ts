import { apiHandler } from '@/lib/api/handler'
import { permissionsQuery, queryPermissions } from '@/lib/api/identity/permissions'
import { parseQuery } from '@/lib/api/query'

// Permission_QueryPermissions (API-36): the fixed permission registry.
export const dynamic = 'force-dynamic'

export const GET = apiHandler(async (ctx, request) => Response.json(await queryPermissions(ctx, parseQuery(permissionsQuery, request))), { api: 'identity' })
