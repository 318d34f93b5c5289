import Link from 'next/link'

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-xl px-6 py-24 text-center">
      <p className="text-sm font-semibold text-brand-700 dark:text-brand-100">403</p>
      <h1 className="mt-2 text-2xl font-semibold">You do not have access to this page</h1>
      <p className="mt-3 text-slate-600 dark:text-slate-300">Your organization role does not include the permission this page needs. See what you can do on your access page, or ask an administrator.</p>
      <div className="mt-6 flex justify-center gap-3 text-sm">
        <Link href="/me" className="rounded-md bg-brand-600 px-3.5 py-2 font-medium text-white hover:bg-brand-700">
          My access
        </Link>
        <Link href="/" className="rounded-md border border-slate-300 px-3.5 py-2 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
          Dashboard
        </Link>
      </div>
    </main>
  )
}
