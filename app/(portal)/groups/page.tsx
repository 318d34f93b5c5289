import type { Metadata } from 'next'
import Link from 'next/link'
import { PagerLink } from '@/components/data-table/pager-link'
import { Alert } from '@/components/ui/alert'
import { buttonClass } from '@/components/ui/button'
import { Card, EmptyState, PageHeader } from '@/components/ui/card'
import { inputClass } from '@/components/ui/field'
import { listGroups } from '@/lib/groups/list-groups'
import { listGroupsSchema } from '@/lib/groups/schemas'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { GroupsTable } from './groups-table'

export const metadata: Metadata = { title: 'Groups' }

type SearchParams = Promise<Record<string, string | string[] | undefined>>

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)

export default async function GroupsPage({ searchParams }: { searchParams: SearchParams }) {
  const ctx = await requireMemberContext()
  const raw = await searchParams
  const input = { q: first(raw.q), stage: first(raw.stage), after: first(raw.after), before: first(raw.before), perPage: first(raw.perPage) }
  const params = listGroupsSchema.parse(input)
  const page = await loadPage(() => listGroups(ctx, input))
  const link = (cursor: Record<string, string>) => {
    const q = new URLSearchParams()
    for (const [k, v] of Object.entries({ q: params.q, stage: params.stage })) if (v) q.set(k, v)
    for (const [k, v] of Object.entries(cursor)) q.set(k, v)
    return `/groups?${q}`
  }
  const filtered = Boolean(params.q || params.stage)
  const canCreate = page.manageStages.length > 0
  return (
    <>
      <PageHeader
        title="Groups"
        description="End-user groups: each belongs to one stage and gives its members application roles of apps in that stage."
        actions={
          canCreate && (
            <Link href="/groups/new" className={buttonClass('primary')}>
              New group
            </Link>
          )
        }
      />
      {first(raw.deleted) === '1' && (
        <div className="mb-6">
          <Alert tone="success">The group was deleted. Its members lost the roles they held only through it.</Alert>
        </div>
      )}
      <Card>
        <form role="search" action="/groups" className="mb-4 flex flex-wrap items-end gap-3">
          <div className="min-w-64 flex-1">
            <label htmlFor="q" className="mb-1 block text-sm font-medium">
              Search
            </label>
            <input id="q" name="q" type="search" defaultValue={params.q} maxLength={100} placeholder="Name contains…" className={inputClass} />
          </div>
          <div>
            <label htmlFor="stage" className="mb-1 block text-sm font-medium">
              Stage
            </label>
            <select id="stage" name="stage" defaultValue={params.stage ?? ''} className={inputClass}>
              <option value="">All stages you can see</option>
              {page.stages.map((s) => (
                <option key={s.key} value={s.code}>
                  {s.name} ({s.code})
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className={buttonClass('secondary')}>
            Apply
          </button>
          {filtered && (
            <Link href="/groups" className={buttonClass('ghost')}>
              Clear
            </Link>
          )}
        </form>
        <p className="mb-2 text-sm text-slate-500" aria-live="polite">
          {`${page.total.toLocaleString('en')} ${page.total === 1 ? 'group' : 'groups'}${filtered ? (page.total === 1 ? ' matches' : ' match') : ''}`}
          {page.stages.length < 3 && ` · You can see groups in ${page.stages.map((s) => s.code).join(', ')}.`}
        </p>
        {page.rows.length === 0 ? (
          <EmptyState title={filtered ? 'No groups match these filters' : 'No groups yet'}>
            {filtered ? (
              'Try a shorter search or another stage.'
            ) : canCreate ? (
              <>
                Groups give many end-users the same application roles at once.{' '}
                <Link href="/groups/new" className="font-medium text-brand-700 underline dark:text-brand-100">
                  Create the first group
                </Link>
                .
              </>
            ) : null}
          </EmptyState>
        ) : (
          <GroupsTable rows={page.rows} />
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
