import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { isSetUp } from '@/lib/setup/organization'
import { SetupForm } from './setup-form'

export const metadata: Metadata = { title: 'Set up' }

export default async function SetupPage() {
  // The setup screen exists only until the organization does (UI-1).
  if (await isSetUp()) redirect('/sign-in')
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <h1 className="text-xl font-semibold">Set up Gatehouse</h1>
      <p className="mt-1 mb-6 text-sm text-slate-500 dark:text-slate-400">Name your organization and create the first administrator. You can invite everyone else afterwards.</p>
      <SetupForm />
    </div>
  )
}
