import { z } from 'zod'
import { jsonBody } from '@/lib/api/body'
import { apiHandler } from '@/lib/api/handler'
import { conflictAs400, queryUsersParams, toUserFilters, toUserProfile } from '@/lib/api/identity/users'
import { listResponse, parseQuery, querySchema } from '@/lib/api/query'
import { ValidationError } from '@/lib/errors'
import { createUser } from '@/lib/users/create-user'
import { getVisibleUser, queryUsersPage } from '@/lib/users/query-users'

// UserProfile_QueryUsers (API-1) and UserProfile_CreateUser (API-3).
export const dynamic = 'force-dynamic'

const query = querySchema(queryUsersParams, { exclusive: [['environmentKey', 'environmentKeys']] })

export const GET = apiHandler(
  async (ctx, request) => {
    const q = parseQuery(query, request)
    const { rows, total } = await queryUsersPage(ctx, { offset: q.offset, limit: q.limit, sort: q.sort, filters: toUserFilters(q) })
    const embed = q.embed ?? []
    // With ApplicationRoles embedded, each user's roles are read as GET /users/{key} reads them (at most 100 per page).
    const results = embed.includes('ApplicationRoles')
      ? await Promise.all(rows.map(async (row) => toUserProfile(row, { embed, applicationRoles: (await getVisibleUser(ctx, row.key, { applicationRoles: true })).applicationRoles })))
      : rows.map((row) => toUserProfile(row, { embed }))
    return Response.json(listResponse(results, q, total))
  },
  { api: 'identity' },
)

const createBody = z.strictObject({
  name: z.string().nullish(),
  email: z.string().nullish(),
  isActive: z.boolean().optional(),
  photoUrl: z.string().nullish(),
  addToBuiltInIdentityProvider: z.boolean().optional(),
  identityProviderKey: z.uuid({ error: 'Not a valid key.' }).nullish(),
  subject: z.string().nullish(),
  username: z.string().nullish(),
})

export const POST = apiHandler(
  async (ctx, request) => {
    const body = await jsonBody(request, createBody)
    const refused: Record<string, string[]> = {}
    if (!body.email) refused.email = ['Enter an email address: Gatehouse users sign in with their email.']
    // Gatehouse has only its built-in sign-in: no external identity provider profiles to pre-create.
    if (body.identityProviderKey) refused.identityProviderKey = ['No identity provider with this key exists.']
    for (const name of ['subject', 'username'] as const) if (body[name]) refused[name] = [`${name} needs an identityProviderKey.`]
    if (Object.keys(refused).length) throw new ValidationError('Some fields need attention.', refused)
    const { userKey } = await conflictAs400(
      createUser(ctx, { email: body.email, name: body.name ?? '', photoUrl: body.photoUrl ?? null, isActive: body.isActive ?? true, reuseExisting: body.addToBuiltInIdentityProvider ?? false }),
    )
    return Response.json({ key: userKey }, { status: 201 })
  },
  { api: 'identity' },
)
