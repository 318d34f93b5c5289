import type { Metadata } from 'next'
import { getOrganization } from '@/lib/setup/organization'

export const metadata: Metadata = { title: 'Your account is ready' }

// Where an accepted invitation lands when it gave no member role and no application role yet
// (app/(auth)/actions.ts): nothing to sign in to, but nothing went wrong either.
export default async function InvitationReadyPage() {
  const org = await getOrganization()
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <h1 className="text-xl font-semibold">Your account is ready</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
        Your password is set and your {org?.name ?? 'Gatehouse'} account is active. You have no access to any app yet: once an administrator gives you access, sign in on the app&rsquo;s sign-in
        page with this email address and password.
      </p>
    </div>
  )
}
