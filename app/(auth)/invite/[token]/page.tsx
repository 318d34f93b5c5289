import type { Metadata } from 'next'
import Link from 'next/link'
import { headers } from 'next/headers'
import { clientMeta } from '@/lib/request-meta'
import { describeInvitation } from '@/lib/users/accept-invitation'
import { AcceptInvitationForm } from './accept-form'

export const metadata: Metadata = { title: 'Accept invitation', referrer: 'no-referrer' }

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params
  const invitation = await describeInvitation({ actor: null, ...clientMeta(await headers()) }, token)
  if (!invitation) {
    return (
      <div className="rounded-lg border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h1 className="text-xl font-semibold">This invitation is no longer valid</h1>
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
          It may have expired, been replaced by a newer invitation, or already been accepted. Ask your administrator to send a new one, or{' '}
          <Link href="/sign-in" className="text-brand-700 underline dark:text-brand-100">
            sign in
          </Link>{' '}
          if you already have an account.
        </p>
      </div>
    )
  }
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <h1 className="text-xl font-semibold">Join {invitation.organization}</h1>
      <p className="mt-1 mb-6 text-sm text-slate-500 dark:text-slate-400">
        You were invited as <strong>{invitation.email}</strong>. Enter the 6-digit code from the invitation email and choose a password.
      </p>
      <AcceptInvitationForm token={token} name={invitation.name} mode={invitation.passwordPolicy} />
    </div>
  )
}
