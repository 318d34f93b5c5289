import { z } from 'zod'
import { userStatus } from '@/db/schema/enums'
import { emailSchema, optionalPersonNameSchema, passwordSchema, uuidSchema } from '../validation'

export const userKeySchema = z.strictObject({ userKey: uuidSchema })

export const inviteMemberSchema = z.strictObject({
  email: emailSchema,
  name: optionalPersonNameSchema,
  roleKey: uuidSchema.or(z.literal('')).transform((v) => v || null).refine((v) => v !== null, 'Choose the organization role the member will hold.'),
})
export type InviteMemberInput = z.input<typeof inviteMemberSchema>

const keyList = z.array(uuidSchema).max(200, 'Choose at most 200.').default([])

/**
 * Inviting anyone (AUTH-5): a member with an organization role, an end-user with groups and
 * application roles chosen up front, or both. Something must be granted, or the invitation would
 * create an account that can do nothing.
 */
export const inviteUserSchema = z
  .strictObject({
    email: emailSchema,
    name: optionalPersonNameSchema,
    roleKey: uuidSchema.or(z.literal('')).optional().transform((v) => v || null),
    groupKeys: keyList,
    instanceKeys: keyList,
  })
  .refine((v) => v.roleKey !== null || v.groupKeys.length > 0 || v.instanceKeys.length > 0, {
    path: ['roleKey'],
    message: 'Choose an organization role, or at least one group or end-user role.',
  })

export const setOrganizationRoleSchema = z.strictObject({
  userKey: uuidSchema,
  // '' means "No role".
  roleKey: uuidSchema.or(z.literal('')).transform((v) => v || null),
})

export const acceptInvitationSchema = z.strictObject({
  token: z.string().min(20).max(100),
  code: z.string({ error: 'Enter the 6-digit code from the email.' }).trim().regex(/^\d{6}$/, 'Enter the 6-digit code from the email.'),
  name: z.string().trim().max(120, 'Names have at most 120 characters.').optional(),
  password: passwordSchema,
})

export const USER_SORTS = ['name', 'email', 'status', 'lastLogin', 'created'] as const
export type UserSort = (typeof USER_SORTS)[number]

export const listUsersSchema = z.object({
  q: z.string().trim().max(100).optional().default(''),
  status: z.enum(userStatus.enumValues).optional().catch(undefined),
  kind: z.enum(['member', 'end-user']).optional().catch(undefined),
  // CLS-1: internal or external end-users (implies kind end-user).
  class: z.enum(['internal', 'external']).optional().catch(undefined),
  sort: z.enum(USER_SORTS).optional().catch(undefined).default('name'),
  dir: z.enum(['asc', 'desc']).optional().catch(undefined).default('asc'),
  after: z.string().max(300).optional(),
  before: z.string().max(300).optional(),
  perPage: z.coerce.number().int().catch(50).transform((n) => Math.min(100, Math.max(10, n))).default(50),
})
export type ListUsersInput = z.input<typeof listUsersSchema>
