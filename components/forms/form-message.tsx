'use client'

import { Alert } from '../ui/alert'
import type { FormState } from './use-form-action'

/** The form-level outcome; field errors are shown next to their fields. */
export function FormMessage({ state }: { state: FormState }) {
  if (!state) return null
  if (state.ok) return state.message ? <Alert tone="success">{state.message}</Alert> : null
  return <Alert tone="error">{state.fieldErrors?.form?.join(' ') ?? state.error}</Alert>
}
