'use client'

import { FormMessage } from '@/components/forms/form-message'
import { fieldErrors, submitted, useFormAction, type FormState } from '@/components/forms/use-form-action'
import { Field, TextInput } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import { signUpFormSchema } from '@/lib/hosted/schemas'

type Props = { action: (prev: FormState, formData: FormData) => Promise<FormState>; email?: string; domainsHint?: string }

export function SignUpForm({ action, email, domainsHint }: Props) {
  const [state, formAction] = useFormAction(action, signUpFormSchema)
  const errors = (n: string) => fieldErrors(state, n)
  return (
    <form action={formAction} className="space-y-4">
      <Field label="Your name" name="name" errors={errors('name')}>
        <TextInput name="name" defaultValue={submitted(state, 'name')} required maxLength={120} autoComplete="name" autoFocus errors={errors('name')} />
      </Field>
      <Field label="Email" name="email" errors={errors('email')} hint={domainsHint}>
        <TextInput name="email" type="email" defaultValue={submitted(state, 'email') ?? email} required maxLength={254} autoComplete="email" errors={errors('email')} hint={Boolean(domainsHint)} />
      </Field>
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      <SubmitButton pendingLabel="Sending the code…" className="w-full">
        Send me a code
      </SubmitButton>
    </form>
  )
}
