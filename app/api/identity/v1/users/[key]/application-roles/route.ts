import { apiHandler } from '@/lib/api/handler'
import { queryUserApplicationRoles, userApplicationRolesQuery } from '@/lib/api/identity/user-roles'
import { parseQuery } from '@/lib/api/query'

// UserApplicationRoles_QueryUserApplicationRoles (API-10).
export const dynamic = 'force-dynamic'

export const GET = apiHandler<{ key: string }>(
  async (ctx, request, params) => Response.json(await queryUserApplicationRoles(ctx, params, parseQuery(userApplicationRolesQuery, request))),
  { api: 'identity' },
)
