import 'server-only'
import { z } from 'zod'
import { checkAccess } from '../../access/check-access'
import type { Ctx } from '../../context'
import { NotFoundError, ValidationError } from '../../errors'
import { uuidSchema } from '../../validation'

// The access check through the Gatehouse API (API-5, AUTHZ-3) over lib/access/check-access, the
// same question and the same evaluator as the portal's Check access form: may a user use a
// permission (optionally on an app, in a stage), or do they hold an end-user role in a stage?

export const accessCheckBody = z
  .strictObject({
    userKey: uuidSchema,
    permission: z.string().max(100).nullish(),
    appRoleKey: uuidSchema.nullish(),
    appKey: uuidSchema.nullish(),
    stageKey: uuidSchema.nullish(),
  })
  // An end-user role belongs to one app already; an appKey beside it would be silently ignored.
  .refine((b) => !(b.appRoleKey && b.appKey), { path: ['appKey'], message: 'Send appKey with a permission only: an end-user role already belongs to its app.' })

export type AccessCheckBody = z.infer<typeof accessCheckBody>

/** POST /access/check → { allowed, question, reason, details, user }. */
export async function checkAccessOp(ctx: Ctx, body: AccessCheckBody) {
  try {
    const answer = await checkAccess(ctx, {
      user: body.userKey,
      permission: body.permission ?? undefined,
      appRoleKey: body.appRoleKey ?? undefined,
      appKey: body.appKey ?? undefined,
      stageKey: body.stageKey ?? undefined,
    })
    return { allowed: answer.allowed, question: answer.question, reason: answer.reason, details: answer.details, user: answer.user }
  } catch (error) {
    // The use case answers "no such user" and "not one you may see" alike, for a form; here the
    // user is a path-like key, so that same single answer is a 404.
    if (error instanceof ValidationError && error.fieldErrors.user) throw new NotFoundError('The user')
    throw error
  }
}
