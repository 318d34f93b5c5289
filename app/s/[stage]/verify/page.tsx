import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { Alert } from '@/components/ui/alert'
import { REGISTRATION_CODE_MINUTES } from '@/lib/auth/verification-codes'
import { verifyRegistrationAction } from '../actions'
import { HostedCard, linkClass } from '../hosted-card'
import { hostedStageOf, oneParam, stagePath } from '../hosted-stage'
import { VerifyForm } from './verify-form'

export const metadata: Metadata = { title: 'Confirm your email', referrer: 'no-referrer' }

// The second step of self-registration (AUTH-6): the code from the email and a password. The link
// in the email fills in the address; a new code comes from signing up again.
export default async function StageVerifyPage({ params, searchParams }: { params: Promise<{ stage: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const stage = await hostedStageOf(params)
  if (!stage.selfRegistrationEnabled) notFound()
  const query = await searchParams
  const email = oneParam(query.email)
  const signUpAgain = `${stagePath(stage, 'sign-up')}${email ? `?${new URLSearchParams({ email }).toString()}` : ''}`
  return (
    <HostedCard title="Confirm your email" description="Enter the 6-digit code we emailed you and choose a password.">
      {query.sent === '1' && (
        <div className="mb-6">
          <Alert tone="info">
            If {email ? <strong className="break-all">{email}</strong> : 'the address'} can register here, we sent a code to it. It is valid for {REGISTRATION_CODE_MINUTES} minutes. Check your spam folder if it does not arrive.
          </Alert>
        </div>
      )}
      <VerifyForm action={verifyRegistrationAction.bind(null, stage.code)} email={email} mode={stage.passwordPolicy} />
      <p className="mt-6 border-t border-slate-200 pt-4 text-center text-sm text-slate-600 dark:border-slate-800 dark:text-slate-300">
        No code, or it expired?{' '}
        <Link href={signUpAgain} className={linkClass}>
          Send a new code
        </Link>
      </p>
    </HostedCard>
  )
}
