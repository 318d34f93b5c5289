'use client'

import { FormMessage } from '@/components/forms/form-message'
import { PasswordField } from '@/components/forms/password-field'
import { fieldErrors, submitted, useFormAction, type FormState } from '@/components/forms/use-form-action'
import { Field, inputClass, TextInput } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import type { PasswordPolicyMode } from '@/lib/auth/password-policy'
import { verifyRegistrationFormSchema } from '@/lib/hosted/schemas'

// Six digits read more easily spaced out and in a fixed-width face.
const codeInputClass = inputClass.replace('text-sm', 'font-mono text-lg tracking-[0.4em]')

type Props = { action: (prev: FormState, formData: FormData) => Promise<FormState>; email?: string; mode: PasswordPolicyMode }

export function VerifyForm({ action, email, mode }: Props) {
  const [state, formAction] = useFormAction(action, verifyRegistrationFormSchema)
  const errors = (n: string) => fieldErrors(state, n)
  const prefilled = Boolean(email)
  return (
    <form action={formAction} className="space-y-4">
      <Field label="Email" name="email" errors={errors('email')}>
        <TextInput name="email" type="email" defaultValue={submitted(state, 'email') ?? email} required maxLength={254} autoComplete="email" autoFocus={!prefilled} errors={errors('email')} />
      </Field>
      <Field label="Code from the email" name="code" errors={errors('code')}>
        <TextInput
          name="code"
          defaultValue={submitted(state, 'code')}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={6}
          required
          autoFocus={prefilled}
          errors={errors('code')}
          className={codeInputClass}
        />
      </Field>
      <PasswordField errors={errors('password')} mode={mode} label="Choose a password" />
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      <SubmitButton pendingLabel="Finishing…" className="w-full">
        Finish and sign in
      </SubmitButton>
    </form>
  )
}
