import { z } from 'zod'
import { grantsSchema } from '../roles/schemas'
import { uuidSchema } from '../validation'
import { MAX_OVERLAP_HOURS } from './expiry'

export const API_CLIENT_NAME_MAX = 100

export const apiClientNameSchema = z
  .string({ error: 'Enter a name for the API client.' })
  .trim()
  .min(1, 'Enter a name for the API client.')
  .max(API_CLIENT_NAME_MAX, `API client names have at most ${API_CLIENT_NAME_MAX} characters.`)

export const apiClientDescriptionSchema = z.string().trim().max(500, 'Descriptions have at most 500 characters.').default('')

/** YYYY-MM-DD; empty means the default (90 days). Whether it is in range depends on today: checked in the use case. */
export const expiresOnSchema = z
  .string()
  .trim()
  .regex(/^(\d{4}-\d{2}-\d{2})?$/, 'Enter a date such as 2026-12-31.')
  .optional()

// Forms send "true"/"false"; the API and the CLI send booleans.
const flagSchema = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')], { error: 'Choose yes or no.' })

const versionSchema = z.coerce.number({ error: 'Reload the page and try again.' }).int('Reload the page and try again.').min(1, 'Reload the page and try again.')

export const clientKeySchema = z.strictObject({ clientKey: uuidSchema })

export const createApiClientSchema = z.strictObject({
  name: apiClientNameSchema,
  description: apiClientDescriptionSchema,
  expiresOn: expiresOnSchema,
  remind: flagSchema.default(true),
  permissions: grantsSchema.default([]),
})
export type CreateApiClientInput = z.input<typeof createApiClientSchema>

export const updateApiClientSchema = z.strictObject({
  clientKey: uuidSchema,
  name: apiClientNameSchema,
  description: apiClientDescriptionSchema,
  version: versionSchema,
})

export const setApiClientPermissionsSchema = z.strictObject({
  clientKey: uuidSchema,
  permissions: grantsSchema,
  // Optional for scripts; the portal's form always names the version it started from.
  version: versionSchema.optional(),
})

export const rotateApiClientSecretSchema = z.strictObject({
  clientKey: uuidSchema,
  expiresOn: expiresOnSchema,
  remind: flagSchema.default(true),
  overlapHours: z.coerce
    .number({ error: `Choose an overlap of 0 to ${MAX_OVERLAP_HOURS} hours.` })
    .int(`Choose an overlap of 0 to ${MAX_OVERLAP_HOURS} hours.`)
    .min(0, `Choose an overlap of 0 to ${MAX_OVERLAP_HOURS} hours.`)
    .max(MAX_OVERLAP_HOURS, `The previous secret can keep working for at most ${MAX_OVERLAP_HOURS} hours.`)
    .default(0),
})

export const listApiClientsSchema = z.object({
  q: z.string().trim().max(100).optional().default(''),
  // A status's URL form (available, needs-attention, expired, suspended); anything else: no filter.
  status: z.string().trim().max(30).optional().catch(undefined),
  after: z.string().max(300).optional(),
  before: z.string().max(300).optional(),
  perPage: z.coerce.number().int().catch(50).transform((n) => Math.min(100, Math.max(10, n))).default(50),
})
export type ListApiClientsInput = z.input<typeof listApiClientsSchema>
