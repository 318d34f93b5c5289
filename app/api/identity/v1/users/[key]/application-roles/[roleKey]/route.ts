import { apiHandler } from '@/lib/api/handler'
import { grantApplicationRoleToUser, revokeApplicationRoleForUser } from '@/lib/api/identity/user-roles'

// UserApplicationRoles_GrantApplicationRoleToUser (API-11) and _RevokeApplicationRoleForUser (API-12).
export const dynamic = 'force-dynamic'

type Params = { key: string; roleKey: string }

export const POST = apiHandler<Params>(
  async (ctx, _request, params) => {
    await grantApplicationRoleToUser(ctx, params)
    return new Response(null, { status: 201 })
  },
  { api: 'identity' },
)

export const DELETE = apiHandler<Params>(
  async (ctx, _request, params) => {
    await revokeApplicationRoleForUser(ctx, params)
    return new Response(null, { status: 204 })
  },
  { api: 'identity' },
)
