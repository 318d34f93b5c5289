'use client'

import { useState } from 'react'
import { changePasswordFormSchema } from '@/lib/auth/password-schemas'
import type { PasswordPolicyMode } from '@/lib/auth/password-policy'
import { Field, TextInput } from '../ui/field'
import { SubmitButton } from '../ui/submit-button'
import { FormMessage } from './form-message'
import { PasswordField } from './password-field'
import { fieldErrors, useFormAction, type FormState } from './use-form-action'

type Props = {
  action: (prev: FormState, formData: FormData) => Promise<FormState>
  mode: PasswordPolicyMode
  /** The account's email, for password managers. */
  username?: string | null
}

/** Change one's own password: the current one, and a new one with the policy shown live (AUTH-2). */
export function ChangePasswordForm({ action, mode, username }: Props) {
  // A new key after each success empties the form, so no password stays on screen.
  const [saved, setSaved] = useState(0)
  const [state, formAction] = useFormAction(async (prev, formData) => {
    const result = await action(prev, formData)
    if (result?.ok) setSaved((n) => n + 1)
    return result
  }, changePasswordFormSchema)
  const errors = (n: string) => fieldErrors(state, n)
  return (
    <form key={saved} action={formAction} className="space-y-4">
      {/* Lets password managers file the new password under the right account; never submitted to a use case. */}
      {username && <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />}
      <Field label="Current password" name="currentPassword" errors={errors('currentPassword')}>
        <TextInput name="currentPassword" type="password" required autoComplete="current-password" errors={errors('currentPassword')} />
      </Field>
      <PasswordField name="newPassword" label="New password" errors={errors('newPassword')} mode={mode} />
      <FormMessage state={state && (state.ok || !state.fieldErrors) ? state : null} />
      <SubmitButton pendingLabel="Changing…">Change password</SubmitButton>
    </form>
  )
}
