import { apiHandler } from '@/lib/api/handler'
import { queryUsersByApplicationRole, usersByApplicationRoleQuery } from '@/lib/api/identity/application-roles'
import { parseQuery } from '@/lib/api/query'

// ApplicationRole_QueryUsersByApplicationRole (API-17).
export const dynamic = 'force-dynamic'

export const GET = apiHandler<{ key: string }>(
  async (ctx, request, params) => Response.json(await queryUsersByApplicationRole(ctx, params, parseQuery(usersByApplicationRoleQuery, request))),
  { api: 'identity' },
)
