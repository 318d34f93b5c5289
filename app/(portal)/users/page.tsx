import type { Metadata } from 'next'
import Link from 'next/link'
import { Pager } from '@/components/data-table/pager'
import { FilterSelect, SearchForm } from '@/components/data-table/search-form'
import { first, type SearchParams } from '@/components/data-table/search-params'
import { Alert } from '@/components/ui/alert'
import { buttonClass } from '@/components/ui/button'
import { Card, EmptyState, PageHeader } from '@/components/ui/card'
import { getNavigation } from '@/lib/me/navigation'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { listUsers, MIN_SEARCH_LENGTH } from '@/lib/users/list-users'
import { listUsersSchema } from '@/lib/users/schemas'
import { UsersTable } from './users-table'

export const metadata: Metadata = { title: 'Users' }

export default async function UsersPage({ searchParams }: { searchParams: SearchParams }) {
  const ctx = await requireMemberContext()
  const raw = await searchParams
  const input = { q: first(raw.q), status: first(raw.status), kind: first(raw.kind), class: first(raw.class), sort: first(raw.sort), dir: first(raw.dir), after: first(raw.after), before: first(raw.before), perPage: first(raw.perPage) }
  const params = listUsersSchema.parse(input)
  const [page, nav] = await loadPage(() => Promise.all([listUsers(ctx, input), getNavigation(ctx)]))
  const filtered = Boolean(params.q || params.status || params.kind || params.class)
  return (
    <>
      <PageHeader
        title="Users"
        description="Members and end-users of your organization."
        actions={
          nav.invite && (
            <Link href="/users/invite" className={buttonClass('primary')}>
              Invite
            </Link>
          )
        }
      />
      <Card>
        <SearchForm action="/users" q={params.q} filtered={filtered} placeholder="Name or email contains…" submitLabel="Apply">
          <FilterSelect name="status" label="Status" value={params.status}>
            <option value="">Any status</option>
            <option value="Active">Active</option>
            <option value="Invited">Invited</option>
            <option value="PendingRegistration">Pending registration</option>
            <option value="Inactive">Inactive</option>
          </FilterSelect>
          <FilterSelect name="kind" label="Kind" value={params.kind}>
            <option value="">Members and end-users</option>
            <option value="member">Members</option>
            <option value="end-user">End-users</option>
          </FilterSelect>
          <FilterSelect name="class" label="Internal or external" value={params.class}>
            <option value="">Internal and external</option>
            <option value="internal">Internal end-users</option>
            <option value="external">External end-users</option>
          </FilterSelect>
          <input type="hidden" name="sort" value={params.sort} />
          <input type="hidden" name="dir" value={params.dir} />
        </SearchForm>
        {page.searchTooShort && (
          <div className="mb-3">
            <Alert tone="info">Type at least {MIN_SEARCH_LENGTH} characters to search. Showing everyone instead.</Alert>
          </div>
        )}
        <p className="mb-2 text-sm text-slate-500" aria-live="polite">
          {page.total === null
            ? 'Users matching your search, in the order you chose'
            : `${page.totalIsLowerBound ? 'More than ' : ''}${page.total.toLocaleString('en')} ${page.total === 1 ? 'user' : 'users'}${filtered ? (page.total === 1 && !page.totalIsLowerBound ? ' matches' : ' match') : ''}`}
        </p>
        {page.rows.length === 0 ? (
          <EmptyState title={filtered ? 'No users match these filters' : 'No users yet'}>
            {filtered ? 'Try a shorter search or clear the filters.' : nav.invite ? 'Invite the first member to get started.' : null}
          </EmptyState>
        ) : (
          <UsersTable rows={page.rows} sort={params.sort} dir={params.dir} />
        )}
        <Pager path="/users" params={{ q: params.q, status: params.status, kind: params.kind, class: params.class, sort: params.sort, dir: params.dir }} page={page} firstPage />
      </Card>
    </>
  )
}
