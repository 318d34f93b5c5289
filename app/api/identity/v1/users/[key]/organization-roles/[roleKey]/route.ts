import { optionalJsonBody } from '@/lib/api/body'
import { apiHandler } from '@/lib/api/handler'
import { grantDetailsBody, grantOrganizationRoleToUser, revokeDetailsBody, revokeOrganizationRoleForUser } from '@/lib/api/identity/user-organization-roles'

// UserOrganizationRoles_GrantOrganizationRoleToUser (API-14) and _RevokeOrganizationRoleForUser (API-15).
export const dynamic = 'force-dynamic'

type Params = { key: string; roleKey: string }

export const POST = apiHandler<Params>(
  async (ctx, request, params) => {
    await grantOrganizationRoleToUser(ctx, params, await optionalJsonBody(request, grantDetailsBody))
    return new Response(null, { status: 201 })
  },
  { api: 'identity' },
)

export const DELETE = apiHandler<Params>(
  async (ctx, request, params) => {
    await revokeOrganizationRoleForUser(ctx, params, await optionalJsonBody(request, revokeDetailsBody))
    return new Response(null, { status: 204 })
  },
  { api: 'identity' },
)
