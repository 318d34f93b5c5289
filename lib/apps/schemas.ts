import { z } from 'zod'
import { uuidSchema } from '../validation'

// Shared by the forms (client-side validation) and the use cases (server-side, again).

export const appNameSchema = z.string({ error: 'Enter a name.' }).trim().min(1, 'Enter a name.').max(100, 'App names have at most 100 characters.')
export const descriptionSchema = z.string().trim().max(1000, 'Descriptions have at most 1,000 characters.').default('')

/** Checkbox values arrive as one string per ticked box; a single box may arrive as a plain string. */
const stageKeysSchema = z
  .preprocess((v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]), z.array(z.string(), { error: 'Choose stages from the list.' }).max(50))
  // Errors stay on the field (not on “stageKeys.0”), where the form shows them.
  .refine((keys) => keys.every((k) => uuidSchema.safeParse(k).success), 'Choose stages from the list.')
  .transform((keys) => [...new Set(keys)])
  .refine((keys) => keys.length > 0, 'Choose at least one stage to deploy the app to.')

/** `version` is the apps.version the editor started from (optimistic concurrency). */
const versionSchema = z.coerce.number({ error: 'Reload the page and try again.' }).int().min(1)

export const appKeySchema = z.strictObject({ appKey: uuidSchema })

export const createAppSchema = z.strictObject({
  name: appNameSchema,
  description: descriptionSchema,
  stageKeys: stageKeysSchema,
})
export type CreateAppInput = z.input<typeof createAppSchema>

export const updateAppSchema = z.strictObject({
  appKey: uuidSchema,
  version: versionSchema,
  name: appNameSchema,
  description: descriptionSchema,
  stageKeys: stageKeysSchema,
})
export type UpdateAppInput = z.input<typeof updateAppSchema>

/** What an edit of the deployed stages would remove, before it is applied. */
export const previewStagesSchema = z.strictObject({ appKey: uuidSchema, stageKeys: stageKeysSchema })

export const deleteAppSchema = z.strictObject({ appKey: uuidSchema, version: versionSchema.optional() })

export const listAppsSchema = z.object({
  q: z.string().trim().max(100).optional().default(''),
  after: z.string().max(300).optional(),
  before: z.string().max(300).optional(),
  perPage: z.coerce.number().int().catch(25).transform((n) => Math.min(100, Math.max(5, n))).default(25),
})
export type ListAppsInput = z.input<typeof listAppsSchema>

// Claim names go into tokens as the role's claim value: keep them to a safe, unambiguous alphabet.
export const claimNameSchema = z
  .string()
  .trim()
  .max(100, 'Claim names have at most 100 characters.')
  .regex(/^[A-Za-z0-9_.-]*$/, 'Use only letters, digits, “_”, “-” and “.” (no spaces).')

const isPublicSchema = z
  .union([z.boolean(), z.enum(['on', 'true', 'false', ''])])
  .optional()
  .transform((v) => v === true || v === 'on' || v === 'true')

const roleFields = {
  name: z.string({ error: 'Enter a name.' }).trim().min(1, 'Enter a name.').max(100, 'Role names have at most 100 characters.'),
  description: descriptionSchema,
  isPublic: isPublicSchema,
  // Empty: derived from the role name (APP-2: the claim name defaults to the name).
  claimName: claimNameSchema.optional().default(''),
}

/** The claim name a role gets when none is entered: its name, with what a claim cannot hold replaced by “_”. */
export function defaultClaimName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 100)
}

const withClaimName = <T extends { name: string; claimName: string }>(v: T, ctx: z.RefinementCtx) => {
  if (v.claimName === '' && defaultClaimName(v.name) === '')
    ctx.addIssue({ code: 'custom', path: ['claimName'], message: 'Enter a claim name: the role name has no letters or digits a claim can hold.' })
}
const fillClaimName = <T extends { name: string; claimName: string }>(v: T): T => ({ ...v, claimName: v.claimName || defaultClaimName(v.name) })

export const createAppRoleSchema = z.strictObject({ appKey: uuidSchema, ...roleFields }).superRefine(withClaimName).transform(fillClaimName)
export type CreateAppRoleInput = z.input<typeof createAppRoleSchema>

export const updateAppRoleSchema = z.strictObject({ roleKey: uuidSchema, version: versionSchema, ...roleFields }).superRefine(withClaimName).transform(fillClaimName)
export type UpdateAppRoleInput = z.input<typeof updateAppRoleSchema>

/** The role fields alone, for checking a role form in the browser before it is sent. */
export const appRoleFormSchema = z.object(roleFields).superRefine(withClaimName)

export const appRoleKeySchema = z.strictObject({ roleKey: uuidSchema })
export const deleteAppRoleSchema = z.strictObject({ roleKey: uuidSchema, version: versionSchema.optional() })

export const listAppRoleInstancesSchema = z.strictObject({
  appKey: uuidSchema.optional(),
  stageKey: uuidSchema.optional(),
})
export type ListAppRoleInstancesInput = z.input<typeof listAppRoleInstancesSchema>
