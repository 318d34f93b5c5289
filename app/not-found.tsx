import Link from 'next/link'

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl px-6 py-24 text-center">
      <p className="text-sm font-semibold text-brand-700 dark:text-brand-100">404</p>
      <h1 className="mt-2 text-2xl font-semibold">Not found</h1>
      <p className="mt-3 text-slate-600 dark:text-slate-300">This page or record does not exist. It may have been deleted.</p>
      <Link href="/" className="mt-6 inline-block text-sm text-brand-700 underline dark:text-brand-100">
        Back to the dashboard
      </Link>
    </main>
  )
}
