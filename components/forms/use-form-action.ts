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
    let values: Record<string, string> = {}
    for (const [k, v] of formData.entries()) if (!k.startsWith('$ACTION') && typeof v === 'string') values[k] = v
    if (schema) {
      const result = schema.safeParse(values)
      if (!result.success) {
        values = withoutPasswords(values)
        const fieldErrors: Record<string, string[]> = {}
        for (const issue of result.error.issues) (fieldErrors[issue.path.join('.') || 'form'] ??= []).push(issue.message)
        return { ok: false, error: 'Some fields need attention.', fieldErrors, values }
      }
    }
    // The previous state stays in the browser: it holds what was typed, and a server action's
    // arguments travel over the wire (and into development logs).
    const result = await action(null, formData)
    // React resets a form after its action; handing the values back keeps what the user typed,
    // except passwords, which are never kept.
    return result && !result.ok ? { ...result, values: withoutPasswords(values) } : result
  }, null)
}

const withoutPasswords = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).filter(([k]) => !/password/i.test(k)))

export const fieldErrors = (state: FormState, name: string): string[] | undefined => (state && !state.ok ? state.fieldErrors?.[name] : undefined)

/** What the user typed before a failed submission, for the field's defaultValue. */
export const submitted = (state: FormState, name: string): string | undefined => (state && !state.ok ? state.values?.[name] : undefined)
