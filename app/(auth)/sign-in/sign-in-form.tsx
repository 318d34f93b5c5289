'use client'

import Link from 'next/link'
import { FormMessage } from '@/components/forms/form-message'
import { fieldErrors, submitted, useFormAction } from '@/components/forms/use-form-action'
import { Field, TextInput } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import { signInAction } from '../actions'

export function SignInForm() {
  const [state, action] = useFormAction(signInAction)
  const errors = (n: string) => fieldErrors(state, n)
  return (
    <form action={action} className="space-y-4">
      <Field label="Email" name="email" errors={errors('email')}>
        <TextInput name="email" defaultValue={submitted(state, 'email')} type="email" required autoComplete="username" autoFocus errors={errors('email')} />
      </Field>
      <Field label="Password" name="password" errors={errors('password')}>
        <TextInput name="password" type="password" required autoComplete="current-password" errors={errors('password')} />
      </Field>
      <p className="-mt-2 text-right text-sm">
        <Link href="/forgot-password" className="text-brand-700 underline dark:text-brand-100">
          Forgot password?
        </Link>
      </p>
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      <SubmitButton pendingLabel="Signing in…" className="w-full">
        Sign in
      </SubmitButton>
    </form>
  )
}
