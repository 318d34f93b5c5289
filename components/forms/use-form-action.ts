'use client'

import { useActionState } from 'react'
import type { ZodType } from 'zod'

export type FormState = { ok: true; data?: unknown; message?: string } | { ok: false; error: string; fieldErrors?: Record<string, string[]> } | null

type ServerAction = (prev: FormState, formData: FormData) => Promise<FormState>

/**
 * useActionState plus client-side validation with the same zod schema the server uses (UI-13):
 * obvious mistakes are reported without a round trip; the server checks everything again.
 */
export function useFormAction(action: ServerAction, schema?: ZodType) {
  return useActionState<FormState, FormData>(async (prev, formData) => {
    if (schema) {
      const values: Record<string, unknown> = {}
      for (const [k, v] of formData.entries()) if (!k.startsWith('$ACTION')) values[k] = v
      const result = schema.safeParse(values)
      if (!result.success) {
        const fieldErrors: Record<string, string[]> = {}
        for (const issue of result.error.issues) (fieldErrors[issue.path.join('.') || 'form'] ??= []).push(issue.message)
        return { ok: false, error: 'Some fields need attention.', fieldErrors }
      }
    }
    return action(prev, formData)
  }, null)
}

export const fieldErrors = (state: FormState, name: string): string[] | undefined => (state && !state.ok ? state.fieldErrors?.[name] : undefined)
