import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { PasswordResetForm } from '@/components/forms/password-reset-form'
import type { PasswordPolicyMode } from '@/lib/auth/password-policy'
import { emailFromLink } from '@/lib/auth/password-schemas'
import { getOrganization } from '@/lib/setup/organization'
import { finishPortalResetAction, startPortalResetAction } from './actions'

// The email in the address is only a pre-fill; no-referrer keeps it from leaking to other sites.
export const metadata: Metadata = { title: 'Reset your password', referrer: 'no-referrer' }

export default async function ForgotPasswordPage({ searchParams }: { searchParams: Promise<{ email?: string | string[] }> }) {
  const org = await getOrganization()
  if (!org) redirect('/setup')
  const { email } = await searchParams
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <h1 className="text-xl font-semibold">Reset your password</h1>
      <p className="mt-1 mb-6 text-sm text-slate-500 dark:text-slate-400">
        For your {org.name} account. We email you a code; with it you choose a new password, and every session of your account ends.
      </p>
      <PasswordResetForm startAction={startPortalResetAction} finishAction={finishPortalResetAction} initialEmail={emailFromLink(email)} mode={org.passwordPolicy as PasswordPolicyMode} signInHref="/sign-in" />
    </div>
  )
}
