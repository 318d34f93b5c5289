'use client'

import Link from 'next/link'
import { FormMessage } from '@/components/forms/form-message'
import { fieldErrors, submitted, useFormAction, type FormState } from '@/components/forms/use-form-action'
import { Field, TextInput } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import { stageSignInFormSchema } from '@/lib/hosted/schemas'
import { linkClass } from '../hosted-card'

type Props = { action: (prev: FormState, formData: FormData) => Promise<FormState>; forgotHref: string }

export function StageSignInForm({ action, forgotHref }: Props) {
  const [state, formAction] = useFormAction(action, stageSignInFormSchema)
  const errors = (n: string) => fieldErrors(state, n)
  return (
    <form action={formAction} className="space-y-4">
      <Field label="Email" name="email" errors={errors('email')}>
        <TextInput name="email" type="email" defaultValue={submitted(state, 'email')} required autoComplete="username" autoFocus errors={errors('email')} />
      </Field>
      <Field label="Password" name="password" errors={errors('password')}>
        <TextInput name="password" type="password" required autoComplete="current-password" errors={errors('password')} />
      </Field>
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      <SubmitButton pendingLabel="Signing in…" className="w-full">
        Sign in
      </SubmitButton>
      <p className="text-center text-sm">
        <Link href={forgotHref} className={linkClass}>
          Forgot your password?
        </Link>
      </p>
    </form>
  )
}
