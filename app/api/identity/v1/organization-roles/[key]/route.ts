import { jsonBody } from '@/lib/api/body'
import { apiHandler } from '@/lib/api/handler'
import { deleteOrganizationRole, organizationRoleBody, readOrganizationRole, updateOrganizationRole } from '@/lib/api/identity/organization-roles'

// OrganizationRole_ReadOrganizationRole (API-31), _UpdateOrganizationRole (API-33), _DeleteOrganizationRole (API-34).
export const dynamic = 'force-dynamic'

type Params = { key: string }

export const GET = apiHandler<Params>(async (ctx, _request, params) => Response.json(await readOrganizationRole(ctx, params)), { api: 'identity' })

export const PATCH = apiHandler<Params>(
  async (ctx, request, params) => {
    await updateOrganizationRole(ctx, params, await jsonBody(request, organizationRoleBody))
    return new Response(null, { status: 204 })
  },
  { api: 'identity' },
)

export const DELETE = apiHandler<Params>(
  async (ctx, _request, params) => {
    await deleteOrganizationRole(ctx, params)
    return new Response(null, { status: 204 })
  },
  { api: 'identity' },
)
