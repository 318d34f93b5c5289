'use client'

import { FormMessage } from '../forms/form-message'
import { fieldErrors, submitted, useFormAction } from '../forms/use-form-action'
import { Field, TextInput } from '../ui/field'
import { SubmitButton } from '../ui/submit-button'
import { API_LIMIT_RANGES, updateApiLimitsSchema, type ApiLimits } from '@/lib/settings/schemas'
import type { FormAction } from './types'

const hints: Record<keyof ApiLimits, string> = {
  apiRateLimit: 'Counted per organization and minute, separately for the identity API and the Gatehouse API. Over it, calls get 429 with Retry-After.',
  bulkRateLimit: 'POST /users/bulk calls a minute (each creates up to 100 users); they also count toward the requests a minute.',
  apiClientLimit: 'No new API client can be created once the organization has this many.',
}

/** The organization's API limits (API-3, APIC-1); read-only without Manage organization. */
export function ApiLimitsForm({ limits, apiClients, action, editable }: { limits: ApiLimits; apiClients: number; action: FormAction; editable: boolean }) {
  const [state, formAction] = useFormAction(action, updateApiLimitsSchema)
  return (
    <form action={formAction} className="max-w-xl space-y-4" noValidate>
      {(Object.keys(API_LIMIT_RANGES) as Array<keyof ApiLimits>).map((name) => {
        const errors = fieldErrors(state, name)
        const range = API_LIMIT_RANGES[name]
        const hint = name === 'apiClientLimit' ? `${hints[name]} It has ${apiClients.toLocaleString('en')} now.` : hints[name]
        return (
          <Field key={name} label={range.label} name={name} errors={errors} hint={hint}>
            <TextInput
              name={name}
              type="number"
              inputMode="numeric"
              min={range.min}
              max={range.max}
              step={1}
              required
              disabled={!editable}
              defaultValue={submitted(state, name) ?? limits[name]}
              errors={errors}
              hint
            />
          </Field>
        )
      })}
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      {editable && <SubmitButton pendingLabel="Saving…">Save API limits</SubmitButton>}
    </form>
  )
}
