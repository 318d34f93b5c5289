import type { Metadata } from 'next'
import Link from 'next/link'
import { AuditList } from '@/components/audit/audit-list'
import { Alert } from '@/components/ui/alert'
import { buttonClass } from '@/components/ui/button'
import { Card, EmptyState, PageHeader } from '@/components/ui/card'
import { inputClass } from '@/components/ui/field'
import { listAuditActions, listAuditEvents, type AuditPage } from '@/lib/audit/list-audit-events'
import { ValidationError } from '@/lib/errors'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'

export const metadata: Metadata = { title: 'Audit trail' }

type Params = { actor?: string; action?: string; from?: string; to?: string; before?: string }

export default async function AuditPage({ searchParams }: { searchParams: Promise<Params> }) {
  const ctx = await requireMemberContext()
  const sp = await searchParams
  const input = { actor: sp.actor, action: sp.action, from: sp.from, to: sp.to, before: sp.before }
  let page: AuditPage = { rows: [], next: null }
  let problem: string | null = null
  const actions = await loadPage(() => listAuditActions(ctx))
  try {
    page = await loadPage(() => listAuditEvents(ctx, input))
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e
    problem = Object.values(e.fieldErrors).flat().join(' ') || e.message
  }
  const filtered = Boolean(sp.actor || sp.action || sp.from || sp.to)
  const nextLink = () => {
    const q = new URLSearchParams()
    for (const [k, v] of Object.entries({ actor: sp.actor, action: sp.action, from: sp.from, to: sp.to })) if (v) q.set(k, v)
    q.set('before', String(page.next))
    return `/audit?${q}`
  }
  return (
    <>
      <PageHeader title="Audit trail" description="Every change, who made it, from where, and what it changed. Times are UTC." />
      <Card>
        <form role="search" action="/audit" className="mb-4 flex flex-wrap items-end gap-3">
          <div>
            <label htmlFor="actor" className="mb-1 block text-sm font-medium">Actor</label>
            <input id="actor" name="actor" defaultValue={sp.actor} maxLength={200} placeholder="Email contains…" className={inputClass} />
          </div>
          <div>
            <label htmlFor="action" className="mb-1 block text-sm font-medium">Action</label>
            <select id="action" name="action" defaultValue={sp.action ?? ''} className={inputClass}>
              <option value="">Any action</option>
              {actions.map((a) => (
                <option key={a} value={a}>{a}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="from" className="mb-1 block text-sm font-medium">From</label>
            <input id="from" name="from" type="datetime-local" defaultValue={sp.from} className={inputClass} />
          </div>
          <div>
            <label htmlFor="to" className="mb-1 block text-sm font-medium">To</label>
            <input id="to" name="to" type="datetime-local" defaultValue={sp.to} className={inputClass} />
          </div>
          <button type="submit" className={buttonClass('secondary')}>Apply</button>
          {filtered && <Link href="/audit" className={buttonClass('ghost')}>Clear</Link>}
        </form>
        {problem && <div className="mb-4"><Alert tone="error">{problem}</Alert></div>}
        {page.rows.length === 0 ? <EmptyState title={filtered ? 'No events match these filters' : 'No events yet'} /> : <AuditList events={page.rows} showClient />}
        <div className="mt-4 flex justify-end gap-2">
          {sp.before && <Link href={`/audit?${new URLSearchParams(Object.entries({ actor: sp.actor ?? '', action: sp.action ?? '', from: sp.from ?? '', to: sp.to ?? '' }).filter(([, v]) => v))}`} className={buttonClass('ghost')}>Newest</Link>}
          {page.next && <Link href={nextLink()} className={buttonClass('secondary')}>Older events</Link>}
        </div>
      </Card>
    </>
  )
}
