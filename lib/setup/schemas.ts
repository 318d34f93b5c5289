import { z } from 'zod'
import { emailSchema, passwordSchema, personNameSchema } from '../validation'

export const setupSchema = z.strictObject({
  organizationName: z.string({ error: 'Enter the organization name.' }).trim().min(1, 'Enter the organization name.').max(120, 'Use at most 120 characters.'),
  name: personNameSchema,
  email: emailSchema,
  password: passwordSchema,
})

export type SetupInput = z.input<typeof setupSchema>
