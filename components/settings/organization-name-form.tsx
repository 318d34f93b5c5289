'use client'

import { FormMessage } from '../forms/form-message'
import { fieldErrors, submitted, useFormAction } from '../forms/use-form-action'
import { Field, TextInput } from '../ui/field'
import { SubmitButton } from '../ui/submit-button'
import { updateOrganizationNameSchema } from '@/lib/settings/schemas'
import type { FormAction } from './types'

/** The organization's display name: it heads every email and hosted page. */
export function OrganizationNameForm({ name, action }: { name: string; action: FormAction }) {
  const [state, formAction] = useFormAction(action, updateOrganizationNameSchema)
  const errors = fieldErrors(state, 'name')
  return (
    <form action={formAction} className="max-w-xl space-y-4" noValidate>
      <Field label="Organization name" name="name" errors={errors} hint="Shown on the sign-in pages, the hosted pages of every stage and in every email.">
        <TextInput name="name" defaultValue={submitted(state, 'name') ?? name} required maxLength={120} autoComplete="organization" errors={errors} hint />
      </Field>
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      <SubmitButton pendingLabel="Saving…">Save name</SubmitButton>
    </form>
  )
}
