type Tone = 'error' | 'success' | 'info' | 'warning'

const tones: Record<Tone, string> = {
  error: 'border-red-200 bg-red-50 text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200',
  success: 'border-emerald-200 bg-emerald-50 text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-200',
  info: 'border-sky-200 bg-sky-50 text-sky-800 dark:border-sky-900 dark:bg-sky-950 dark:text-sky-200',
  warning: 'border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200',
}

export function Alert({ tone = 'info', children, title }: { tone?: Tone; children: React.ReactNode; title?: string }) {
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} className={`rounded-md border px-4 py-3 text-sm ${tones[tone]}`}>
      {title && <p className="font-semibold">{title}</p>}
      <div>{children}</div>
    </div>
  )
}

/**
 * The confirmation a redirect asked for with `?notice=<id>` after a change, when `id` is one of the
 * page's `notices`; any other value shows nothing (the text never comes from the URL).
 */
export function NoticeAlert({ notices, notice }: { notices: Readonly<Record<string, string>>; notice: string | undefined }) {
  if (!notice || !Object.hasOwn(notices, notice)) return null
  return (
    <div className="mb-6">
      <Alert tone="success">{notices[notice]}</Alert>
    </div>
  )
}
