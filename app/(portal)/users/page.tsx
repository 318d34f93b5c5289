import type { Metadata } from 'next'
import Link from 'next/link'
import { PagerLink } from '@/components/data-table/pager-link'
import { Alert } from '@/components/ui/alert'
import { buttonClass } from '@/components/ui/button'
import { Card, EmptyState, PageHeader } from '@/components/ui/card'
import { inputClass } from '@/components/ui/field'
import { getNavigation } from '@/lib/me/navigation'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { listUsers, MIN_SEARCH_LENGTH } from '@/lib/users/list-users'
import { listUsersSchema } from '@/lib/users/schemas'
import { UsersTable } from './users-table'

export const metadata: Metadata = { title: 'Users' }

type SearchParams = Promise<Record<string, string | string[] | undefined>>

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)

export default async function UsersPage({ searchParams }: { searchParams: SearchParams }) {
  const ctx = await requireMemberContext()
  const raw = await searchParams
  const input = { q: first(raw.q), status: first(raw.status), kind: first(raw.kind), sort: first(raw.sort), dir: first(raw.dir), after: first(raw.after), before: first(raw.before), perPage: first(raw.perPage) }
  const params = listUsersSchema.parse(input)
  const [page, nav] = await loadPage(() => Promise.all([listUsers(ctx, input), getNavigation(ctx)]))
  const link = (cursor: Record<string, string>) => {
    const q = new URLSearchParams()
    for (const [k, v] of Object.entries({ q: params.q, status: params.status, kind: params.kind, sort: params.sort, dir: params.dir })) if (v) q.set(k, v)
    for (const [k, v] of Object.entries(cursor)) q.set(k, v)
    return `/users?${q}`
  }
  const filtered = Boolean(params.q || params.status || params.kind)
  return (
    <>
      <PageHeader
        title="Users"
        description="Members and end-users of your organization."
        actions={
          nav.invite && (
            <Link href="/users/invite" className={buttonClass('primary')}>
              Invite member
            </Link>
          )
        }
      />
      <Card>
        <form role="search" action="/users" className="mb-4 flex flex-wrap items-end gap-3">
          <div className="min-w-64 flex-1">
            <label htmlFor="q" className="mb-1 block text-sm font-medium">
              Search
            </label>
            <input id="q" name="q" type="search" defaultValue={params.q} maxLength={100} placeholder="Name or email contains…" className={inputClass} />
          </div>
          <div>
            <label htmlFor="status" className="mb-1 block text-sm font-medium">
              Status
            </label>
            <select id="status" name="status" defaultValue={params.status ?? ''} className={inputClass}>
              <option value="">Any status</option>
              <option value="Active">Active</option>
              <option value="Invited">Invited</option>
              <option value="PendingRegistration">Pending registration</option>
              <option value="Inactive">Inactive</option>
            </select>
          </div>
          <div>
            <label htmlFor="kind" className="mb-1 block text-sm font-medium">
              Kind
            </label>
            <select id="kind" name="kind" defaultValue={params.kind ?? ''} className={inputClass}>
              <option value="">Members and end-users</option>
              <option value="member">Members</option>
              <option value="end-user">End-users</option>
            </select>
          </div>
          <input type="hidden" name="sort" value={params.sort} />
          <input type="hidden" name="dir" value={params.dir} />
          <button type="submit" className={buttonClass('secondary')}>
            Apply
          </button>
          {filtered && (
            <Link href="/users" className={buttonClass('ghost')}>
              Clear
            </Link>
          )}
        </form>
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
        <nav aria-label="Pagination" className="mt-4 flex items-center justify-between text-sm">
          <div className="flex gap-2">
            {page.previous && (
              <Link href={link({})} className={buttonClass('ghost')}>
                First page
              </Link>
            )}
          </div>
          <div className="flex gap-2">
            <PagerLink href={page.previous ? link({ before: page.previous }) : null} rel="prev">
              Previous
            </PagerLink>
            <PagerLink href={page.next ? link({ after: page.next }) : null} rel="next">
              Next
            </PagerLink>
          </div>
        </nav>
      </Card>
    </>
  )
}
