import { z } from 'zod'
import { emailSchema, passwordSchema, uuidSchema } from '../validation'

// Forms that set a password (AUTH-7 reset, password change). Pure, so the browser runs the same
// checks before a round trip; the policy itself is enforced on the server (lib/auth/passwords.ts).
// The use cases take the strict schemas; the *Form schemas are the browser's copy, which lets the
// pages' hidden fields (the stage) through.

export const resetCodeSchema = z.string({ error: 'Enter the 6-digit code from the email.' }).trim().regex(/^\d{6}$/, 'Enter the 6-digit code from the email.')

const startFields = { email: emailSchema }
const finishFields = { email: emailSchema, code: resetCodeSchema, password: passwordSchema }

// The stage whose hosted pages asked; absent for the portal.
export const startPasswordResetSchema = z.strictObject({ ...startFields, stageKey: uuidSchema.optional() })
export const finishPasswordResetSchema = z.strictObject({ ...finishFields, stageKey: uuidSchema.optional() })
export const startPasswordResetFormSchema = z.object(startFields)
export const finishPasswordResetFormSchema = z.object(finishFields)

const changeFields = {
  currentPassword: z.string({ error: 'Enter your current password.' }).min(1, 'Enter your current password.').max(1024, 'That password is far too long.'),
  newPassword: passwordSchema,
}
const differs = (v: { currentPassword: string; newPassword: string }) => v.currentPassword !== v.newPassword
const differsMessage = { path: ['newPassword'], message: 'Choose a password different from the current one.' }

export const changePasswordSchema = z.strictObject(changeFields).refine(differs, differsMessage)
export const changePasswordFormSchema = z.object(changeFields).refine(differs, differsMessage)

/** `?email=` from a reset email's link: only a pre-fill for the code step, so anything odd is ignored. */
export function emailFromLink(value: string | string[] | undefined): string {
  const email = typeof value === 'string' ? value.trim() : ''
  return email.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(email) ? email : ''
}
