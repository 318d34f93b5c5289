import { z } from 'zod'
import { emailSchema, uuidSchema } from '../validation'

export const groupNameSchema = z
  .string({ error: 'Enter a name.' })
  .trim()
  .min(1, 'Enter a name.')
  .max(100, 'Group names have at most 100 characters.')

export const groupDescriptionSchema = z.string().trim().max(500, 'Descriptions have at most 500 characters.').default('')

// Forms send numbers as text; the API sends numbers.
const versionSchema = z.coerce.number({ error: 'Reload the page and try again.' }).int('Reload the page and try again.').min(1, 'Reload the page and try again.')

export const groupKeySchema = z.strictObject({ groupKey: uuidSchema })

export const createGroupSchema = z.strictObject({
  name: groupNameSchema,
  description: groupDescriptionSchema,
  stageKey: uuidSchema.or(z.literal('')).refine((v) => v !== '', 'Choose the stage the group belongs to.'),
})
export type CreateGroupInput = z.input<typeof createGroupSchema>

export const updateGroupSchema = z.strictObject({
  groupKey: uuidSchema,
  name: groupNameSchema,
  description: groupDescriptionSchema,
  version: versionSchema,
})

export const deleteGroupSchema = z.strictObject({ groupKey: uuidSchema, version: versionSchema })

/** A form's checkboxes arrive as repeated values; the API sends an array. */
const keyListSchema = z.preprocess((v) => (v === undefined || v === '' ? [] : typeof v === 'string' ? [v] : v), z.array(uuidSchema).max(500, 'A group holds at most 500 roles.'))

export const setGroupRolesSchema = z.strictObject({ groupKey: uuidSchema, instanceKeys: keyListSchema, version: versionSchema })

export const previewGroupRolesSchema = z.strictObject({ groupKey: uuidSchema, instanceKeys: keyListSchema })

export const addGroupMemberSchema = z.strictObject({ groupKey: uuidSchema, email: emailSchema })

export const removeGroupMemberSchema = z.strictObject({ groupKey: uuidSchema, userKey: uuidSchema })

/** ODC's identity API takes at most 20 user keys in one list (LIM-1). */
export const MAX_MEMBER_CHANGES = 20
const memberKeysSchema = z.array(uuidSchema).max(MAX_MEMBER_CHANGES, `At most ${MAX_MEMBER_CHANGES} user keys at a time.`).default([])

export const changeGroupMembersSchema = z.strictObject({ groupKey: uuidSchema, addUserKeys: memberKeysSchema, removeUserKeys: memberKeysSchema })

export const setUserGroupMembershipSchema = z.strictObject({
  userKey: uuidSchema,
  groupKey: uuidSchema,
  member: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]),
})

export const listUserGroupsSchema = z.strictObject({ userKey: uuidSchema })

const perPageSchema = z.coerce.number().int().catch(50).transform((n) => Math.min(100, Math.max(10, n))).default(50)

export const listGroupsSchema = z.object({
  q: z.string().trim().max(100).optional().default(''),
  // A stage code (DEV, QA, PRD …); an unknown code matches nothing.
  stage: z.string().trim().max(20).optional().catch(undefined).transform((v) => v?.toUpperCase() || undefined),
  after: z.string().max(300).optional(),
  before: z.string().max(300).optional(),
  perPage: perPageSchema,
})
export type ListGroupsInput = z.input<typeof listGroupsSchema>

export const listGroupMembersSchema = z.object({
  groupKey: uuidSchema,
  q: z.string().trim().max(100).optional().default(''),
  after: z.string().max(300).optional(),
  before: z.string().max(300).optional(),
  perPage: perPageSchema,
})
export type ListGroupMembersInput = z.input<typeof listGroupMembersSchema>
