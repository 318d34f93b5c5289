import type { Metadata } from 'next'
import Link from 'next/link'
import { Pager } from '@/components/data-table/pager'
import { SearchForm } from '@/components/data-table/search-form'
import { first, type SearchParams } from '@/components/data-table/search-params'
import { NoticeAlert } from '@/components/ui/alert'
import { buttonClass } from '@/components/ui/button'
import { Card, EmptyState, PageHeader } from '@/components/ui/card'
import { listApps } from '@/lib/apps/list-apps'
import { listAppsSchema } from '@/lib/apps/schemas'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { AppsTable } from './apps-table'
import { appNotices } from './notices'

export const metadata: Metadata = { title: 'Apps' }

export default async function AppsPage({ searchParams }: { searchParams: SearchParams }) {
  const ctx = await requireMemberContext()
  const raw = await searchParams
  const input = { q: first(raw.q), after: first(raw.after), before: first(raw.before), perPage: first(raw.perPage) }
  const params = listAppsSchema.parse(input)
  const page = await loadPage(() => listApps(ctx, input))
  const notice = first(raw.notice)
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
      <NoticeAlert notices={appNotices} notice={notice} />
      <Card>
        <SearchForm action="/apps" q={params.q} filtered={Boolean(params.q)} placeholder="Name contains…" />
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
        <Pager path="/apps" params={{ q: params.q }} page={page} />
      </Card>
    </>
  )
}
