import 'server-only'
import { unstable_rethrow } from 'next/navigation'
import { DomainError, type FieldErrors } from './errors'
import { logger } from './logger'

export type ActionResult<T = undefined> = { ok: true; data?: T; message?: string } | { ok: false; error: string; fieldErrors?: FieldErrors }

/**
 * Runs a use case for a form: domain errors become messages next to the fields; anything
 * unexpected is logged with an id and shown as a generic message (never a stack trace).
 * Next's redirect() and notFound() pass through.
 */
export async function runAction<T>(fn: () => Promise<T>, message?: string): Promise<ActionResult<T>> {
  try {
    const data = await fn()
    return { ok: true, data, message }
  } catch (error) {
    unstable_rethrow(error)
    if (error instanceof DomainError) {
      const fieldErrors = 'fieldErrors' in error ? (error.fieldErrors as FieldErrors) : undefined
      return { ok: false, error: error.message, fieldErrors: fieldErrors && Object.keys(fieldErrors).length ? fieldErrors : undefined }
    }
    const id = crypto.randomUUID()
    logger.error('action failed', { errorId: id, error })
    return { ok: false, error: `Something went wrong on our side. Try again; if it keeps happening, give your administrator this reference: ${id}.` }
  }
}

/** FormData to a plain object for the use case's zod schema (which rejects unknown keys). */
export function formValues(formData: FormData, ...fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of formData.entries()) {
    if (k.startsWith('$ACTION')) continue
    if (fields.length && !fields.includes(k)) continue
    out[k] = typeof v === 'string' ? v : undefined
  }
  return out
}

/**
 * The answer to a submission that would take access away and was not confirmed yet: what would be
 * lost, under the `confirm` field, for the form to show before it is submitted again with
 * `confirmed=yes`. A failure as far as the form is concerned, so what was entered stays.
 */
export function needsConfirmation(losses: string[]): ActionResult<never> {
  return { ok: false, error: 'This change takes access away. Check what is lost, then confirm.', fieldErrors: { confirm: losses } }
}
