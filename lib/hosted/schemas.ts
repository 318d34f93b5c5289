import { z } from 'zod'
import { emailSchema, passwordSchema, personNameSchema, uuidSchema } from '../validation'

// The hosted end-user forms (HOST-1). The form schemas are what the browser checks before sending;
// the use cases add the stage, which comes from the URL, never from the form.

export const registrationCodeSchema = z
  .string({ error: 'Enter the 6-digit code from the email.' })
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code from the email.')

export const stageSignInFormSchema = z.strictObject({
  email: z.string({ error: 'Enter your email.' }).trim().min(1, 'Enter your email.').max(254, 'Email addresses have at most 254 characters.'),
  password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(1024, 'That password is far too long.'),
})

export const signUpFormSchema = z.strictObject({ name: personNameSchema, email: emailSchema })

export const verifyRegistrationFormSchema = z.strictObject({ email: emailSchema, code: registrationCodeSchema, password: passwordSchema })

export const signInToStageSchema = stageSignInFormSchema.extend({ stageKey: uuidSchema })
export const signUpSchema = signUpFormSchema.extend({ stageKey: uuidSchema })
export const verifyRegistrationSchema = verifyRegistrationFormSchema.extend({ stageKey: uuidSchema })
