import type { AuditEvent } from '@/lib/audit/types'

const fmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })

function changesSummary(e: AuditEvent): string | null {
  const c = e.changes
  if (!c) return null
  const parts: string[] = []
  const after = c.after ?? {}
  const before = c.before ?? {}
  for (const k of Object.keys({ ...before, ...after })) {
    if (k in before && k in after) parts.push(`${k}: ${JSON.stringify(before[k])} → ${JSON.stringify(after[k])}`)
    else if (k in after) parts.push(`${k}: ${JSON.stringify(after[k])}`)
    else parts.push(`${k} was ${JSON.stringify(before[k])}`)
  }
  for (const [k, v] of Object.entries(c)) if (k !== 'before' && k !== 'after' && v !== undefined) parts.push(`${k}: ${JSON.stringify(v)}`)
  return parts.join(' · ') || null
}

export function AuditList({ events, showClient = false }: { events: AuditEvent[]; showClient?: boolean }) {
  return (
    <ol className="divide-y divide-slate-200 dark:divide-slate-800">
      {events.map((e) => (
        <li key={e.id} className="py-3 text-sm">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <p>
              <span className="font-medium">{e.actorLabel}</span> <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">{e.action}</code>{' '}
              {e.targetLabel && <span className="text-slate-600 dark:text-slate-300">{e.targetLabel}</span>}
            </p>
            <time dateTime={new Date(e.occurredAt).toISOString()} className="text-xs text-slate-500">
              {fmt.format(new Date(e.occurredAt))} UTC
            </time>
          </div>
          {changesSummary(e) && <p className="mt-1 text-xs break-words text-slate-500 dark:text-slate-400">{changesSummary(e)}</p>}
          {showClient && (e.ip || e.userAgent) && (
            <p className="mt-1 text-xs text-slate-400">
              {e.ip ?? 'unknown address'} · {e.userAgent ?? 'unknown agent'}
            </p>
          )}
        </li>
      ))}
    </ol>
  )
}
