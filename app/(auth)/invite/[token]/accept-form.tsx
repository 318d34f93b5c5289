'use client'

import { FormMessage } from '@/components/forms/form-message'
import { PasswordField } from '@/components/forms/password-field'
import { fieldErrors, submitted, useFormAction } from '@/components/forms/use-form-action'
import { Field, TextInput } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import type { PasswordPolicyMode } from '@/lib/auth/password-policy'
import { acceptInvitationAction } from '../../actions'

export function AcceptInvitationForm({ token, name, mode }: { token: string; name: string; mode: PasswordPolicyMode }) {
  const [state, action] = useFormAction(acceptInvitationAction)
  const errors = (n: string) => fieldErrors(state, n)
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      <Field label="Invitation code" name="code" errors={errors('code')}>
        <TextInput name="code" defaultValue={submitted(state, 'code')} inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" maxLength={6} required autoFocus errors={errors('code')} />
      </Field>
      <Field label="Your name" name="name" errors={errors('name')}>
        <TextInput name="name" defaultValue={submitted(state, 'name') ?? name} maxLength={120} autoComplete="name" errors={errors('name')} />
      </Field>
      <PasswordField errors={errors('password')} mode={mode} />
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      <SubmitButton pendingLabel="Activating…" className="w-full">
        Accept and sign in
      </SubmitButton>
    </form>
  )
}
