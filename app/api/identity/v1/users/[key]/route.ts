import { z } from 'zod'
import { jsonBody } from '@/lib/api/body'
import { apiHandler } from '@/lib/api/handler'
import { conflictAs400, embedParam, toUserProfile } from '@/lib/api/identity/users'
import { parseQuery, querySchema } from '@/lib/api/query'
import { deleteUser } from '@/lib/users/delete-user'
import { getVisibleUser } from '@/lib/users/query-users'
import { updateUserProfile } from '@/lib/users/update-user-profile'
import { parse } from '@/lib/validation'

// UserProfile_GetUser (API-6), UserProfile_PatchUser (API-7), UserProfile_DeleteUser (API-8).
export const dynamic = 'force-dynamic'

type Params = { key: string }
const keyOf = (params: Params) => parse(z.object({ key: z.uuid({ error: 'Not a valid user key.' }) }), params).key

const query = querySchema({ embed: embedParam })

export const GET = apiHandler<Params>(
  async (ctx, request, params) => {
    const key = keyOf(params)
    const embed = parseQuery(query, request).embed ?? []
    const user = await getVisibleUser(ctx, key, { applicationRoles: embed.includes('ApplicationRoles') })
    return Response.json(toUserProfile(user, { embed, applicationRoles: user.applicationRoles }))
  },
  { api: 'identity' },
)

// REST-12: clients send every field; null means "no change".
const patchBody = z.strictObject({ name: z.string().nullish(), isActive: z.boolean().nullish(), photoUrl: z.string().nullish() })

export const PATCH = apiHandler<Params>(
  async (ctx, request, params) => {
    const key = keyOf(params)
    const body = await jsonBody(request, patchBody)
    await conflictAs400(updateUserProfile(ctx, { userKey: key, name: body.name ?? undefined, isActive: body.isActive ?? undefined, photoUrl: body.photoUrl ?? undefined }))
    return new Response(null, { status: 204 })
  },
  { api: 'identity' },
)

export const DELETE = apiHandler<Params>(
  async (ctx, _request, params) => {
    await conflictAs400(deleteUser(ctx, { userKey: keyOf(params) }))
    return new Response(null, { status: 204 })
  },
  { api: 'identity' },
)
