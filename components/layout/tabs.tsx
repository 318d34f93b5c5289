import Link from 'next/link'

export type Tab = { key: string; label: string; href: string }

/** Tabs as links, so each tab has its own URL (shareable, back-button safe). */
export function TabNav({ tabs, current, label }: { tabs: Tab[]; current: string; label: string }) {
  return (
    <nav aria-label={label} className="mb-6 border-b border-slate-200 dark:border-slate-800">
      <ul className="-mb-px flex flex-wrap gap-4 text-sm">
        {tabs.map((t) => (
          <li key={t.key}>
            <Link
              href={t.href}
              aria-current={t.key === current ? 'page' : undefined}
              className={`inline-block border-b-2 px-1 pb-2 ${t.key === current ? 'border-brand-600 font-medium text-brand-700 dark:text-brand-100' : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900 dark:text-slate-300'}`}
            >
              {t.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  )
}
