import { jsonBody } from '@/lib/api/body'
import { apiHandler } from '@/lib/api/handler'
import { createOrganizationRole, organizationRoleBody, organizationRolesQuery, queryOrganizationRoles } from '@/lib/api/identity/organization-roles'
import { parseQuery } from '@/lib/api/query'

// OrganizationRole_QueryOrganizationRoles (API-30) and OrganizationRole_CreateOrganizationRole (API-32).
export const dynamic = 'force-dynamic'

export const GET = apiHandler(async (ctx, request) => Response.json(await queryOrganizationRoles(ctx, parseQuery(organizationRolesQuery, request))), { api: 'identity' })

export const POST = apiHandler(async (ctx, request) => Response.json(await createOrganizationRole(ctx, await jsonBody(request, organizationRoleBody)), { status: 201 }), { api: 'identity' })
