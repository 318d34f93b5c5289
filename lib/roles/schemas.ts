import { z } from 'zod'
import { uuidSchema } from '../validation'

export const ROLE_NAME_MAX = 80

export const roleNameSchema = z
  .string({ error: 'Enter a name for the role.' })
  .trim()
  .min(1, 'Enter a name for the role.')
  .max(ROLE_NAME_MAX, `Role names have at most ${ROLE_NAME_MAX} characters.`)

export const roleDescriptionSchema = z.string().trim().max(500, 'Descriptions have at most 500 characters.').default('')

/** One explicitly selected permission; `stageKeys` null means every stage. */
export const grantSchema = z.strictObject({
  slug: z.string().min(1).max(100),
  stageKeys: z.array(uuidSchema).min(1, 'Choose at least one stage, or all stages.').max(100).nullable().default(null),
})
export type GrantInput = z.input<typeof grantSchema>

// A form sends the selection as one JSON field; other callers pass the array itself.
const fromJson = (value: unknown) => {
  if (typeof value !== 'string') return value
  try {
    return JSON.parse(value)
  } catch {
    return value
  }
}

export const grantsSchema = z.preprocess(fromJson, z.array(grantSchema, { error: 'Choose the permissions as a list.' }).max(500))

export const roleKeySchema = z.strictObject({ roleKey: uuidSchema })

export const createRoleSchema = z.strictObject({
  name: roleNameSchema,
  description: roleDescriptionSchema,
  permissions: grantsSchema,
})

export const updateRoleSchema = z.strictObject({
  roleKey: uuidSchema,
  version: z.coerce.number({ error: 'Reload the page and try again.' }).int().min(1),
  name: roleNameSchema,
  description: roleDescriptionSchema,
  permissions: grantsSchema,
})

export const deleteRoleSchema = z.strictObject({
  roleKey: uuidSchema,
  version: z.coerce.number().int().min(1).optional(),
})

export const previewRoleChangeSchema = z.strictObject({
  roleKey: uuidSchema,
  permissions: grantsSchema,
})

export const listRoleHoldersSchema = z.object({
  roleKey: uuidSchema,
  after: z.string().max(300).optional(),
  before: z.string().max(300).optional(),
  perPage: z.coerce.number().int().catch(25).transform((n) => Math.min(100, Math.max(5, n))).default(25),
})
