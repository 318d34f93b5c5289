'use client'

import Link from 'next/link'
import { useEffect, useRef, useState } from 'react'
import { finishPasswordResetFormSchema, startPasswordResetFormSchema } from '@/lib/auth/password-schemas'
import type { PasswordPolicyMode } from '@/lib/auth/password-policy'
import { Alert } from '../ui/alert'
import { buttonClass } from '../ui/button'
import { Field, TextInput } from '../ui/field'
import { SubmitButton } from '../ui/submit-button'
import { FormMessage } from './form-message'
import { PasswordField } from './password-field'
import { fieldErrors, submitted, useFormAction, type FormState } from './use-form-action'

type Action = (prev: FormState, formData: FormData) => Promise<FormState>

type Props = {
  startAction: Action
  finishAction: Action
  /** From the email's link (`?email=`): the page opens on the code step. */
  initialEmail?: string
  mode: PasswordPolicyMode
  signInHref: string
}

const onlyFormError = (state: FormState) => (state && !state.ok && !state.fieldErrors ? state : null)

function BackToSignIn({ href }: { href: string }) {
  return (
    <p className="border-t border-slate-200 pt-4 text-center text-sm dark:border-slate-800">
      <Link href={href} className="font-medium text-brand-700 underline-offset-2 hover:underline focus-visible:underline dark:text-brand-100">
        Back to sign in
      </Link>
    </p>
  )
}

/** The last step: focus moves to the way on, so keyboard and screen-reader users land on it. */
function Done({ signInHref }: { signInHref: string }) {
  const link = useRef<HTMLAnchorElement>(null)
  useEffect(() => link.current?.focus(), [])
  return (
    <div className="space-y-4">
      <Alert tone="success" title="Your password was changed">
        You were signed out everywhere. Sign in with your new password.
      </Alert>
      <Link ref={link} href={signInHref} className={buttonClass('primary', 'w-full')}>
        Sign in
      </Link>
    </div>
  )
}

/**
 * Forgot password (AUTH-7) in two steps on one page: the email, then the emailed code with a new
 * password (the policy shown live), then a link to sign in. The answer to the first step is the
 * same whether or not the account exists.
 */
export function PasswordResetForm({ startAction, finishAction, initialEmail = '', mode, signInHref }: Props) {
  const [email, setEmail] = useState(initialEmail)
  // How many codes this page asked for: a second one replaces the first.
  const [sends, setSends] = useState(0)
  const [startState, start] = useFormAction(async (prev, formData) => {
    const result = await startAction(prev, formData)
    if (result?.ok) {
      setEmail((result.data as { email: string }).email)
      setSends((n) => n + 1)
    }
    return result
  }, startPasswordResetFormSchema)
  const [finishState, finish] = useFormAction(finishAction, finishPasswordResetFormSchema)

  if (finishState?.ok) return <Done signInHref={signInHref} />

  if (!email) {
    const errors = fieldErrors(startState, 'email')
    return (
      <form action={start} className="space-y-4">
        <Field label="Email" name="email" errors={errors}>
          <TextInput name="email" type="email" defaultValue={submitted(startState, 'email')} required autoComplete="username" autoFocus errors={errors} />
        </Field>
        <FormMessage state={onlyFormError(startState)} />
        <SubmitButton pendingLabel="Sending…" className="w-full">
          Send a reset code
        </SubmitButton>
        <BackToSignIn href={signInHref} />
      </form>
    )
  }

  const errors = (n: string) => fieldErrors(finishState, n)
  return (
    <div className="space-y-4">
      {sends > 0 ? (
        <Alert tone="info">
          If <strong>{email}</strong> belongs to an account that can reset its password here, we have emailed it {sends > 1 ? 'a new' : 'a'} 6-digit code, valid for 1 hour.
          {sends > 1 && ' Earlier codes no longer work.'}
        </Alert>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Enter the 6-digit code from the reset email, and choose a new password.
        </p>
      )}
      <form action={finish} className="space-y-4">
        <input type="hidden" name="email" value={email} />
        <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
          <span className="text-slate-600 dark:text-slate-300">
            Email: <span className="font-medium text-slate-900 dark:text-slate-100">{email}</span>
          </span>
          <button
            type="button"
            className="text-brand-700 underline dark:text-brand-100"
            onClick={() => {
              setEmail('')
              setSends(0)
            }}
          >
            Use a different email
          </button>
        </div>
        {errors('email') && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {errors('email')!.join(' ')}
          </p>
        )}
        <Field label="Code from the email" name="code" errors={errors('code')}>
          <TextInput name="code" defaultValue={submitted(finishState, 'code')} inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" maxLength={6} required autoFocus errors={errors('code')} />
        </Field>
        <PasswordField label="New password" errors={errors('password')} mode={mode} />
        <FormMessage state={onlyFormError(finishState)} />
        <SubmitButton pendingLabel="Saving…" className="w-full">
          Set the new password
        </SubmitButton>
      </form>
      <form action={start} className="flex flex-wrap items-center justify-between gap-2 border-t border-slate-200 pt-4 text-sm dark:border-slate-800">
        <input type="hidden" name="email" value={email} />
        <span className="text-slate-500 dark:text-slate-400">No email? Check your spam folder, or</span>
        <SubmitButton variant="secondary" pendingLabel="Sending…">
          Send a new code
        </SubmitButton>
        <FormMessage state={onlyFormError(startState)} />
      </form>
      <BackToSignIn href={signInHref} />
    </div>
  )
}
