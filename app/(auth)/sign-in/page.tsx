import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { getRequestContext } from '@/lib/request'
import { getOrganization } from '@/lib/setup/organization'
import { SignInForm } from './sign-in-form'

export const metadata: Metadata = { title: 'Sign in' }

export default async function SignInPage() {
  const org = await getOrganization()
  if (!org) redirect('/setup')
  if ((await getRequestContext()).actor) redirect('/')
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <h1 className="text-xl font-semibold">Sign in to {org.name}</h1>
      <p className="mt-1 mb-6 text-sm text-slate-500 dark:text-slate-400">Use the email and password of your Gatehouse account.</p>
      <SignInForm />
    </div>
  )
}
