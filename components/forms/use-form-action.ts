'use client'

import { useActionState } from 'react'
import type { ZodType } from 'zod'

export type FormState =
  | { ok: true; data?: unknown; message?: string }
  | { ok: false; error: string; fieldErrors?: Record<string, string[]>; values?: Record<string, string> }
  | null

type ServerAction = (prev: FormState, formData: FormData) => Promise<FormState>

/**
 * useActionState plus client-side validation with the same zod schema the server uses (UI-13):
 * obvious mistakes are reported without a round trip; the server checks everything again.
 */
export function useFormAction(action: ServerAction, schema?: ZodType) {
  return useActionState<FormState, FormData>(async (prev, formData) => {
    const values: Record<string, string> = {}
    for (const [k, v] of formData.entries()) if (!k.startsWith('$ACTION') && typeof v === 'string') values[k] = v
    if (schema) {
      const result = schema.safeParse(values)
      if (!result.success) {
        const fieldErrors: Record<string, string[]> = {}
        for (const issue of result.error.issues) (fieldErrors[issue.path.join('.') || 'form'] ??= []).push(issue.message)
        return { ok: false, error: 'Some fields need attention.', fieldErrors, values }
      }
    }
    const result = await action(prev, formData)
    // React resets a form after its action; handing the values back keeps what the user typed.
    return result && !result.ok ? { ...result, values } : result
  }, null)
}

export const fieldErrors = (state: FormState, name: string): string[] | undefined => (state && !state.ok ? state.fieldErrors?.[name] : undefined)

/** What the user typed before a failed submission, for the field's defaultValue. */
export const submitted = (state: FormState, name: string): string | undefined => (state && !state.ok ? state.values?.[name] : undefined)
