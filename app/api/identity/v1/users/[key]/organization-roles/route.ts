import { apiHandler } from '@/lib/api/handler'
import { queryUserOrganizationRoles, userOrganizationRolesQuery } from '@/lib/api/identity/user-organization-roles'
import { parseQuery } from '@/lib/api/query'

// UserOrganizationRoles_GetUserOrganizationRoles (API-13).
export const dynamic = 'force-dynamic'

export const GET = apiHandler<{ key: string }>(
  async (ctx, request, params) => Response.json(await queryUserOrganizationRoles(ctx, params, parseQuery(userOrganizationRolesQuery, request))),
  { api: 'identity' },
)
