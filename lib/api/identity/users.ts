import { z } from 'zod'
import { userStatus } from '@/db/schema/enums'
import { ConflictError, ValidationError } from '../../errors'
import type { UserApplicationRole, UserFilters, UserProfileRow } from '../../users/query-users'
import { USER_PROFILE_SORTS } from '../../users/query-users'
import { createUser, type CreateUserInput } from '../../users/create-user'
import type { Ctx } from '../../context'
import { arrayParam, limitParam, offsetParam, sortParam } from '../query'

// ODC's UserProfile shapes (identity v1, §5 of the digest) mapped onto Gatehouse's users.

const statusParam = z.enum(userStatus.enumValues, { error: `status must be one of: ${userStatus.enumValues.join(', ')}.` }).optional()
const dateTimeParam = (name: string) =>
  z
    .string()
    .pipe(z.iso.datetime({ offset: true, error: `${name} must be an ISO 8601 date-time, like 2024-05-01T00:00:00Z.` }))
    .transform((v) => new Date(v))
    .optional()
const booleanParam = (name: string) =>
  z
    .string()
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(['true', 'false'], { error: `${name} must be true or false.` }))
    .transform((v) => v === 'true')
    .optional()
const textParam = z.string().max(200, 'At most 200 characters.').optional()
const domainParam = z
  .string()
  .transform((d) => d.toLowerCase().replace(/^@/, ''))
  .pipe(z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, 'Not a valid email domain.'))

export const EMBED_TYPES = ['ApplicationRoles', 'UserIdentityProviders'] as const
export type EmbedType = (typeof EMBED_TYPES)[number]
/** API-E2: embed values are matched case-insensitively (the descriptions say embed=applicationRoles). */
export const embedParam = arrayParam(
  z.string().transform((v, ctx): EmbedType => {
    const match = EMBED_TYPES.find((t) => t.toLowerCase() === v.toLowerCase())
    if (!match) {
      ctx.addIssue({ code: 'custom', message: `embed must be one of: ${EMBED_TYPES.join(', ')}.` })
      return z.NEVER
    }
    return match
  }),
)

/** The filters UserProfile_QueryUsers and UserProfile_CountUsers share. */
export const countUsersParams = {
  domains: arrayParam(domainParam),
  status: statusParam,
  hasOrganizationRoles: booleanParam('hasOrganizationRoles'),
  hasApplicationRoles: booleanParam('hasApplicationRoles'),
  environmentKeys: arrayParam(z.uuid({ error: 'Not a valid key.' })),
  portfolioKeys: arrayParam(z.uuid({ error: 'Not a valid key.' })),
  loggedInEnvironmentKeys: arrayParam(z.uuid({ error: 'Not a valid key.' })),
  loggedInPortfolioKeys: arrayParam(z.uuid({ error: 'Not a valid key.' })),
  lastLoginAtSince: dateTimeParam('lastLoginAtSince'),
  lastLoginAtTo: dateTimeParam('lastLoginAtTo'),
}

export const queryUsersParams = {
  ...countUsersParams,
  nameOrEmailContains: textParam,
  nameOrEmailOrUsernameContains: textParam,
  userKeys: arrayParam(z.uuid({ error: 'Not a valid key.' })),
  assetKey: z.uuid({ error: 'Not a valid key.' }).optional(),
  environmentKey: z.uuid({ error: 'Not a valid key.' }).optional(),
  embed: embedParam,
  sort: sortParam(USER_PROFILE_SORTS, 'name'),
  limit: limitParam,
  offset: offsetParam,
}

export const MAX_USER_KEYS = 20

type ParsedFilters = {
  domains?: string[]
  status?: UserFilters['status']
  hasOrganizationRoles?: boolean
  hasApplicationRoles?: boolean
  environmentKeys?: string[]
  environmentKey?: string
  portfolioKeys?: string[]
  loggedInEnvironmentKeys?: string[]
  loggedInPortfolioKeys?: string[]
  lastLoginAtSince?: Date
  lastLoginAtTo?: Date
  nameOrEmailContains?: string
  nameOrEmailOrUsernameContains?: string
  userKeys?: string[]
  assetKey?: string
}

/**
 * The query's filters in Gatehouse's terms. Gatehouse has a single portfolio with no key a client
 * could know (SPEC §12), so a portfolio filter names another one and matches nothing, as it does on
 * every operation. It keeps no per-stage sign-in times, so that filter is refused (400) rather than
 * answered wrongly; it has no usernames, so "name, email or username" is "name or email".
 */
export function toUserFilters(q: ParsedFilters): UserFilters {
  const unsupported: Record<string, string[]> = {}
  if (q.loggedInEnvironmentKeys) unsupported.loggedInEnvironmentKeys = ['loggedInEnvironmentKeys is not supported by this server: it keeps no sign-in time per stage.']
  if (q.userKeys && q.userKeys.length > MAX_USER_KEYS) unsupported.userKeys = [`At most ${MAX_USER_KEYS} keys.`]
  if (Object.keys(unsupported).length) throw new ValidationError('Some query parameters are not valid.', unsupported)
  const terms = [q.nameOrEmailContains, q.nameOrEmailOrUsernameContains].filter((t): t is string => Boolean(t?.trim()))
  if (terms.length === 2 && terms[0].trim().toLowerCase() !== terms[1].trim().toLowerCase())
    throw new ValidationError('Some query parameters are not valid.', { nameOrEmailOrUsernameContains: ['Send nameOrEmailContains or nameOrEmailOrUsernameContains, or the same value in both.'] })
  const stageKeys = q.environmentKeys ?? (q.environmentKey ? [q.environmentKey] : undefined)
  return {
    nameOrEmailContains: terms[0]?.trim(),
    userKeys: q.userKeys,
    appKey: q.assetKey,
    stageKeys,
    status: q.status,
    lastLoginAtSince: q.lastLoginAtSince,
    lastLoginAtTo: q.lastLoginAtTo,
    hasOrganizationRoles: q.hasOrganizationRoles,
    hasApplicationRoles: q.hasApplicationRoles,
    domains: q.domains,
    matchNothing: Boolean(q.portfolioKeys?.length || q.loggedInPortfolioKeys?.length),
  }
}

/** UserApplicationRoleApiResponse: an application role in one stage (ODC's role key is per environment). */
export function toUserApplicationRole(r: UserApplicationRole) {
  return {
    key: r.instanceKey,
    name: r.name,
    environmentKey: r.stageKey,
    assetKey: r.appKey,
    externalKey: r.appRoleKey,
    claim: r.claim,
    isDirectlyAssigned: r.isDirectlyAssigned,
    assignedGroups: r.groups.map((g) => ({ key: g.key, name: g.name, membershipType: g.membershipType })),
  }
}

/** UserProfileApiResponse (API-S1); `_embedded` only when embed was asked for. */
export function toUserProfile(row: UserProfileRow, embed?: { applicationRoles?: UserApplicationRole[]; embed: EmbedType[] }) {
  return {
    key: row.key,
    name: row.name === '' ? null : row.name,
    email: row.email,
    status: row.status,
    access: { hasOrganizationRoles: row.isMember, hasApplicationRoles: row.isEndUser },
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    isActive: row.status === 'Active',
    photoUrl: row.photoUrl,
    isEmailVerified: row.isEmailVerified,
    // Gatehouse has no terms and conditions to accept.
    isTermsAndConditionsAccepted: false,
    ...(embed?.embed.length
      ? {
          _embedded: {
            ...(embed.embed.includes('ApplicationRoles') ? { applicationRoles: (embed.applicationRoles ?? []).map(toUserApplicationRole) } : {}),
            // Gatehouse has only its built-in sign-in: no per-IdP profiles.
            ...(embed.embed.includes('UserIdentityProviders') ? { userIdentityProviders: [] } : {}),
          },
        }
      : {}),
  }
}

/**
 * These operations declare no 409: a conflict with the user's state (already invited, not active
 * yet…) is answered as a 400 with the same message.
 */
export async function conflictAs400<T>(work: Promise<T>): Promise<T> {
  try {
    return await work
  } catch (e) {
    if (e instanceof ConflictError) throw new ValidationError(e.message, e.fieldErrors)
    throw e
  }
}

/** UserProfileCreateApiRequest (additionalProperties: false). */
export const createUserBody = z.strictObject({
  name: z.string().nullish(),
  email: z.string().nullish(),
  isActive: z.boolean().optional(),
  photoUrl: z.string().nullish(),
  addToBuiltInIdentityProvider: z.boolean().optional(),
  identityProviderKey: z.uuid({ error: 'Not a valid key.' }).nullish(),
  subject: z.string().nullish(),
  username: z.string().nullish(),
})

/**
 * ODC's create request as createUser's input (POST /users and each record of POST /users/bulk);
 * what Gatehouse cannot honour is refused as a 400.
 */
export function createUserInputFromApi(body: z.infer<typeof createUserBody>): CreateUserInput {
  const refused: Record<string, string[]> = {}
  if (!body.email) refused.email = ['Enter an email address: Gatehouse users sign in with their email.']
  // Gatehouse has only its built-in sign-in: no external identity provider profiles to pre-create.
  if (body.identityProviderKey) refused.identityProviderKey = ['No identity provider with this key exists.']
  for (const name of ['subject', 'username'] as const) if (body[name]) refused[name] = [`${name} needs an identityProviderKey.`]
  if (Object.keys(refused).length) throw new ValidationError('Some fields need attention.', refused)
  return { email: body.email!, name: body.name ?? '', photoUrl: body.photoUrl ?? null, isActive: body.isActive ?? true, reuseExisting: body.addToBuiltInIdentityProvider ?? false }
}

/** POST /users: ODC's request mapped onto createUser. */
export async function createUserFromApi(ctx: Ctx, body: z.infer<typeof createUserBody>): Promise<{ key: string }> {
  const { userKey } = await conflictAs400(createUser(ctx, createUserInputFromApi(body)))
  return { key: userKey }
}
