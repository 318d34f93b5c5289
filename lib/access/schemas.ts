import { z } from 'zod'
import { uuidSchema } from '../validation'

const optionalKey = uuidSchema.or(z.literal('')).optional().transform((v) => v || null)

/**
 * A grant period bound, entered in UTC. Accepts an ISO timestamp or the value of a
 * datetime-local field ("2026-12-01T09:00"), which carries no zone and is read as UTC.
 */
const periodBound = z
  .string()
  .trim()
  .max(40)
  .optional()
  .transform((v, ctx) => {
    if (!v) return null
    const withZone = /(?:Z|[+-]\d\d:?\d\d)$/.test(v) ? v : `${v}Z`
    const d = new Date(withZone)
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'Enter a date and time, like 2026-12-01 09:00.' })
      return z.NEVER
    }
    return d
  })

export const setRoleGrantSchema = z
  .strictObject({
    userKey: uuidSchema,
    // Empty: organization scope; otherwise the app the grant is limited to.
    appKey: optionalKey,
    // Empty: remove the grant at this scope ("No role").
    roleKey: optionalKey,
    startsAt: periodBound,
    endsAt: periodBound,
  })
  .refine((v) => !v.startsAt || !v.endsAt || v.endsAt > v.startsAt, { path: ['endsAt'], message: 'The end must be after the start.' })

export type SetRoleGrantInput = z.input<typeof setRoleGrantSchema>

export const setEndUserRolesSchema = z.strictObject({
  userKey: uuidSchema,
  // The direct application role instances the user should hold, across every app and stage shown.
  instanceKeys: z.array(uuidSchema).max(2000).default([]),
  // Only these apps are being edited (the grid may be filtered); roles of other apps stay as they are.
  appKeys: z.array(uuidSchema).min(1).max(500),
})

export const checkAccessSchema = z
  .strictObject({
    // The user to check, by email address or key.
    user: z.string({ error: 'Enter the email address of the user to check.' }).trim().min(1, 'Enter the email address of the user to check.').max(254),
    permission: z.string().trim().max(100).optional().transform((v) => v || null),
    appRoleKey: optionalKey,
    appKey: optionalKey,
    stageKey: optionalKey,
  })
  .refine((v) => (v.permission === null) !== (v.appRoleKey === null), { path: ['permission'], message: 'Choose a permission or an end-user role, not both.' })
  .refine((v) => v.appRoleKey === null || v.stageKey !== null, { path: ['stageKey'], message: 'End-user roles are held per stage: choose a stage.' })
