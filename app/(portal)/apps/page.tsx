import type { Metadata } from 'next'
import Link from 'next/link'
import { PagerLink } from '@/components/data-table/pager-link'
import { Alert } from '@/components/ui/alert'
import { buttonClass } from '@/components/ui/button'
import { Card, EmptyState, PageHeader } from '@/components/ui/card'
import { inputClass } from '@/components/ui/field'
import { listApps } from '@/lib/apps/list-apps'
import { listAppsSchema } from '@/lib/apps/schemas'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { AppsTable } from './apps-table'
import { appNotices, type AppNotice } from './notices'

export const metadata: Metadata = { title: 'Apps' }

type SearchParams = Promise<Record<string, string | string[] | undefined>>

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)

export default async function AppsPage({ searchParams }: { searchParams: SearchParams }) {
  const ctx = await requireMemberContext()
  const raw = await searchParams
  const input = { q: first(raw.q), after: first(raw.after), before: first(raw.before), perPage: first(raw.perPage) }
  const params = listAppsSchema.parse(input)
  const page = await loadPage(() => listApps(ctx, input))
  const notice = first(raw.notice)
  const link = (cursor: Record<string, string>) => {
    const q = new URLSearchParams()
    if (params.q) q.set('q', params.q)
    for (const [k, v] of Object.entries(cursor)) q.set(k, v)
    return `/apps?${q}`
  }
  return (
    <>
      <PageHeader
        title="Apps"
        description="Your organization's apps, the stages they are deployed to, and their end-user roles."
        actions={
          page.canCreate && (
            <Link href="/apps/new" className={buttonClass('primary')}>
              Create app
            </Link>
          )
        }
      />
      {notice && notice in appNotices && (
        <div className="mb-6">
          <Alert tone="success">{appNotices[notice as AppNotice]}</Alert>
        </div>
      )}
      <Card>
        <form role="search" action="/apps" className="mb-4 flex flex-wrap items-end gap-3">
          <div className="min-w-64 flex-1">
            <label htmlFor="q" className="mb-1 block text-sm font-medium">
              Search
            </label>
            <input id="q" name="q" type="search" defaultValue={params.q} maxLength={100} placeholder="Name contains…" className={inputClass} />
          </div>
          <button type="submit" className={buttonClass('secondary')}>
            Search
          </button>
          {params.q && (
            <Link href="/apps" className={buttonClass('ghost')}>
              Clear
            </Link>
          )}
        </form>
        <p className="mb-2 text-sm text-slate-500" aria-live="polite">
          {page.total.toLocaleString('en')} {page.total === 1 ? 'app' : 'apps'}
          {params.q ? (page.total === 1 ? ' matches' : ' match') : ''}
        </p>
        {page.rows.length === 0 ? (
          <EmptyState title={params.q ? 'No apps match this search' : 'No apps yet'}>
            {params.q ? (
              'Try a shorter search.'
            ) : page.canCreate ? (
              <Link href="/apps/new" className={buttonClass('primary')}>
                Create the first app
              </Link>
            ) : (
              'Apps appear here once someone who may create them adds one.'
            )}
          </EmptyState>
        ) : (
          <AppsTable rows={page.rows} />
        )}
        <nav aria-label="Pagination" className="mt-4 flex items-center justify-end gap-2 text-sm">
          <PagerLink href={page.previous ? link({ before: page.previous }) : null} rel="prev">
            Previous
          </PagerLink>
          <PagerLink href={page.next ? link({ after: page.next }) : null} rel="next">
            Next
          </PagerLink>
        </nav>
      </Card>
    </>
  )
}
