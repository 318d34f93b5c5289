import Link from 'next/link'

/** Tabs as links (`?tab=…`), so each tab has a URL that can be shared and the back button works. */
export function AppTabs({ base, tabs, current }: { base: string; tabs: ReadonlyArray<{ id: string; label: string }>; current: string }) {
  return (
    <nav aria-label="App sections" className="mb-6 flex gap-1 border-b border-slate-200 dark:border-slate-800">
      {tabs.map((t) => {
        const active = t.id === current
        return (
          <Link
            key={t.id}
            href={`${base}?tab=${t.id}`}
            aria-current={active ? 'page' : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${active ? 'border-brand-600 text-brand-700 dark:text-brand-100' : 'border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white'}`}
          >
            {t.label}
          </Link>
        )
      })}
    </nav>
  )
}
