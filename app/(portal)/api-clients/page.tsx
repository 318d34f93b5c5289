import type { Metadata } from 'next'
import Link from 'next/link'
import { Pager } from '@/components/data-table/pager'
import { FilterSelect, SearchForm } from '@/components/data-table/search-form'
import { first, type SearchParams } from '@/components/data-table/search-params'
import { NoticeAlert } from '@/components/ui/alert'
import { buttonClass } from '@/components/ui/button'
import { Card, EmptyState, PageHeader } from '@/components/ui/card'
import { listApiClients } from '@/lib/api-clients/list-api-clients'
import { listApiClientsSchema } from '@/lib/api-clients/schemas'
import { API_CLIENT_STATUSES, statusSlug } from '@/lib/api-clients/status'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { ApiClientsTable } from './api-clients-table'
import { apiClientNotices } from './notices'

export const metadata: Metadata = { title: 'API clients' }

export default async function ApiClientsPage({ searchParams }: { searchParams: SearchParams }) {
  const ctx = await requireMemberContext()
  const raw = await searchParams
  const input = { q: first(raw.q), status: first(raw.status), after: first(raw.after), before: first(raw.before), perPage: first(raw.perPage) }
  const params = listApiClientsSchema.parse(input)
  const page = await loadPage(() => listApiClients(ctx, input))
  const filtered = Boolean(params.q || page.status)
  const full = page.count >= page.limit
  return (
    <>
      <PageHeader
        title="API clients"
        description="Scripts and other systems call the Gatehouse API as API clients, with a client id and secret (OAuth 2.0 client credentials) and the permissions you give them."
        actions={
          full ? (
            <span className="text-sm text-slate-500">Limit reached</span>
          ) : (
            <Link href="/api-clients/new" className={buttonClass('primary')}>
              New API client
            </Link>
          )
        }
      />
      <NoticeAlert notices={apiClientNotices} notice={first(raw.notice)} />
      <Card>
        <SearchForm action="/api-clients" q={params.q} filtered={filtered} placeholder="Name or client id contains…" submitLabel="Apply">
          <FilterSelect name="status" label="Status" value={page.status ? statusSlug(page.status) : undefined}>
            <option value="">Any status</option>
            {API_CLIENT_STATUSES.map((s) => (
              <option key={s} value={statusSlug(s)}>
                {s}
              </option>
            ))}
          </FilterSelect>
        </SearchForm>
        <p className="mb-2 text-sm text-slate-500" aria-live="polite">
          {filtered ? `${page.total.toLocaleString('en')} of ` : ''}
          {`${page.count.toLocaleString('en')} API ${page.count === 1 ? 'client' : 'clients'}`} · the organization may have {page.limit}.
          {full && ' Delete one to create another.'}
        </p>
        {page.rows.length === 0 ? (
          <EmptyState title={filtered ? 'No API clients match these filters' : 'No API clients yet'}>
            {filtered ? (
              'Try a shorter search or another status.'
            ) : (
              <>
                An API client lets a script or another system manage users and access through the API.{' '}
                <Link href="/api-clients/new" className="font-medium text-brand-700 underline dark:text-brand-100">
                  Create the first API client
                </Link>
                .
              </>
            )}
          </EmptyState>
        ) : (
          <ApiClientsTable rows={page.rows} />
        )}
        <Pager path="/api-clients" params={{ q: params.q, status: page.status ? statusSlug(page.status) : undefined }} page={page} />
      </Card>
    </>
  )
}
