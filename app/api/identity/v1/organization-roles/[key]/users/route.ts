import { apiHandler } from '@/lib/api/handler'
import { queryUsersByRole, usersByRoleQuery } from '@/lib/api/identity/organization-roles'
import { parseQuery } from '@/lib/api/query'

// OrganizationRole_QueryUsersByRole (API-35).
export const dynamic = 'force-dynamic'

export const GET = apiHandler<{ key: string }>(async (ctx, request, params) => Response.json(await queryUsersByRole(ctx, params, parseQuery(usersByRoleQuery, request))), { api: 'identity' })
