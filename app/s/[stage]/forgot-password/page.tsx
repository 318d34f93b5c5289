import type { Metadata } from 'next'
import { PasswordResetForm } from '@/components/forms/password-reset-form'
import { emailFromLink } from '@/lib/auth/password-schemas'
import { HostedCard } from '../hosted-card'
import { hostedStageOf, stagePath } from '../hosted-stage'
import { finishStageResetAction, startStageResetAction } from './actions'

export const metadata: Metadata = { title: 'Reset your password', referrer: 'no-referrer' }

// Forgot password on a stage (AUTH-7): the email, then the emailed code and a new password, on one
// page; the reset email's link opens it on the second step with the address filled in.
export default async function StageForgotPasswordPage({ params, searchParams }: { params: Promise<{ stage: string }>; searchParams: Promise<{ email?: string | string[] }> }) {
  const stage = await hostedStageOf(params)
  const { email } = await searchParams
  const signIn = stagePath(stage, 'sign-in')
  return (
    <HostedCard title="Reset your password" description={<>For your {stage.organization} account. We email you a code; with it you choose a new password, and you are signed out everywhere.</>}>
      <PasswordResetForm
        startAction={startStageResetAction.bind(null, stage.code)}
        finishAction={finishStageResetAction.bind(null, stage.code)}
        initialEmail={emailFromLink(email)}
        mode={stage.passwordPolicy}
        signInHref={signIn}
      />
    </HostedCard>
  )
}
