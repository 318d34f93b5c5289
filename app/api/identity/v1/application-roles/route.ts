import { apiHandler } from '@/lib/api/handler'
import { applicationRolesQuery, queryApplicationRoles } from '@/lib/api/identity/application-roles'
import { parseQuery } from '@/lib/api/query'

// ApplicationRole_QueryApplicationRoles (API-16).
export const dynamic = 'force-dynamic'

export const GET = apiHandler(async (ctx, request) => Response.json(await queryApplicationRoles(ctx, parseQuery(applicationRolesQuery, request))), { api: 'identity' })
