'use client'

import { z } from 'zod'
import { FormMessage } from '../forms/form-message'
import { fieldErrors, submitted, useFormAction } from '../forms/use-form-action'
import { Field, TextInput } from '../ui/field'
import { SubmitButton } from '../ui/submit-button'
import { emailSchema } from '@/lib/validation'
import type { FormAction } from './types'

const formSchema = z.object({ to: emailSchema })

/** Sends a test email through whatever delivers mail now and shows the SMTP server's answer. */
export function SendTestEmailForm({ defaultTo, action }: { defaultTo: string; action: FormAction }) {
  const [state, formAction] = useFormAction(action, formSchema)
  const errors = fieldErrors(state, 'to')
  return (
    <form action={formAction} className="max-w-xl space-y-3" noValidate>
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1">
          <Field label="Send a test email to" name="to" errors={errors}>
            <TextInput name="to" type="email" defaultValue={submitted(state, 'to') ?? defaultTo} required autoComplete="email" errors={errors} />
          </Field>
        </div>
        <SubmitButton variant="secondary" pendingLabel="Sending…">
          Send test email
        </SubmitButton>
      </div>
      <div aria-live="polite">
        <FormMessage state={state && !state.ok && state.fieldErrors ? null : state} />
      </div>
    </form>
  )
}
