'use client'

import { FormMessage } from '@/components/forms/form-message'
import { PasswordField } from '@/components/forms/password-field'
import { fieldErrors, submitted, useFormAction } from '@/components/forms/use-form-action'
import { Field, TextInput } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import { setupSchema } from '@/lib/setup/schemas'
import { setupAction } from '../actions'

export function SetupForm() {
  const [state, action] = useFormAction(setupAction, setupSchema)
  const errors = (n: string) => fieldErrors(state, n)
  return (
    <form action={action} className="space-y-4" noValidate>
      <Field label="Organization name" name="organizationName" errors={errors('organizationName')}>
        <TextInput name="organizationName" defaultValue={submitted(state, 'organizationName')} required maxLength={120} autoComplete="organization" errors={errors('organizationName')} />
      </Field>
      <Field label="Your name" name="name" errors={errors('name')}>
        <TextInput name="name" defaultValue={submitted(state, 'name')} required maxLength={120} autoComplete="name" errors={errors('name')} />
      </Field>
      <Field label="Your email" name="email" errors={errors('email')}>
        <TextInput name="email" defaultValue={submitted(state, 'email')} type="email" required maxLength={254} autoComplete="email" errors={errors('email')} />
      </Field>
      <PasswordField errors={errors('password')} />
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      <SubmitButton pendingLabel="Setting up…" className="w-full">
        Create organization
      </SubmitButton>
    </form>
  )
}
