/** The panel every hosted form sits in: full width on a phone, a card from small screens up. */
export function HostedCard({ title, description, children }: { title: string; description?: React.ReactNode; children: React.ReactNode }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm sm:p-8 dark:border-slate-800 dark:bg-slate-900">
      <h1 className="text-xl font-semibold">{title}</h1>
      {description && <div className="mt-1 text-sm text-slate-500 dark:text-slate-400">{description}</div>}
      <div className="mt-6">{children}</div>
    </section>
  )
}

export const linkClass = 'font-medium text-brand-700 underline-offset-2 hover:underline focus-visible:underline dark:text-brand-100'
