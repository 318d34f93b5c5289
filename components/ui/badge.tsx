const tones = {
  green: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200',
  amber: 'bg-amber-100 text-amber-900 dark:bg-amber-900/50 dark:text-amber-200',
  slate: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200',
  red: 'bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-200',
  blue: 'bg-brand-100 text-brand-800 dark:bg-brand-800/40 dark:text-brand-100',
}

export function Badge({ tone = 'slate', children }: { tone?: keyof typeof tones; children: React.ReactNode }) {
  return <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ${tones[tone]}`}>{children}</span>
}

const statusTone = { Active: 'green', Invited: 'blue', PendingRegistration: 'amber', Inactive: 'slate' } as const
const statusLabel = { Active: 'Active', Invited: 'Invited', PendingRegistration: 'Pending registration', Inactive: 'Inactive' } as const

export function StatusBadge({ status }: { status: keyof typeof statusTone }) {
  return <Badge tone={statusTone[status]}>{statusLabel[status]}</Badge>
}
