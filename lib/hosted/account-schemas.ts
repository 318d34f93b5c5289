import { z } from 'zod'
import { uuidSchema } from '../validation'

// The end-user's own account page on a stage (HOST-1). Pure, so the form can check before a round trip.

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && !url.username && !url.password
  } catch {
    return false
  }
}

export const PROFILE_NAME_MAX = 200
export const PHOTO_URL_MAX = 2000

/** ODC's UpdateUserProfile: the name and the photo; the email does not change here. */
export const updateOwnProfileSchema = z.strictObject({
  name: z.string({ error: 'Enter your name.' }).trim().min(1, 'Enter your name.').max(PROFILE_NAME_MAX, `Names have at most ${PROFILE_NAME_MAX} characters.`),
  photoUrl: z
    .string({ error: 'Enter a web address, or leave it empty.' })
    .trim()
    .max(PHOTO_URL_MAX, `Web addresses have at most ${PHOTO_URL_MAX} characters.`)
    .refine((v) => v === '' || isWebAddress(v), 'Enter a full web address starting with https:// (or http://), or leave it empty.')
    .default(''),
})

export const stageKeyInputSchema = z.strictObject({ stageKey: uuidSchema })

/** The use case's input: the form's fields and the stage whose account page the user is signed in to. */
export const updateOwnProfileInputSchema = updateOwnProfileSchema.extend({ stageKey: uuidSchema })

export const stageSessionInputSchema = z.strictObject({
  stageKey: uuidSchema,
  sessionId: z.string({ error: 'Choose a session.' }).regex(/^[A-Za-z0-9_-]{22}$/, 'Not a valid session.'),
})
