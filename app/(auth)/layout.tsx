export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-md">
        <p className="mb-6 text-center text-sm font-semibold tracking-wide text-brand-700 dark:text-brand-100">GATEHOUSE</p>
        {children}
      </div>
    </main>
  )
}
