import type { Metadata } from 'next'
import Link from 'next/link'
import { Pager } from '@/components/data-table/pager'
import { FilterSelect, SearchForm } from '@/components/data-table/search-form'
import { first, type SearchParams } from '@/components/data-table/search-params'
import { Alert } from '@/components/ui/alert'
import { buttonClass } from '@/components/ui/button'
import { Card, EmptyState, PageHeader } from '@/components/ui/card'
import { listGroups } from '@/lib/groups/list-groups'
import { listGroupsSchema } from '@/lib/groups/schemas'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { GroupsTable } from './groups-table'

export const metadata: Metadata = { title: 'Groups' }

export default async function GroupsPage({ searchParams }: { searchParams: SearchParams }) {
  const ctx = await requireMemberContext()
  const raw = await searchParams
  const input = { q: first(raw.q), stage: first(raw.stage), after: first(raw.after), before: first(raw.before), perPage: first(raw.perPage) }
  const params = listGroupsSchema.parse(input)
  const page = await loadPage(() => listGroups(ctx, input))
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
        <SearchForm action="/groups" q={params.q} filtered={filtered} placeholder="Name contains…" submitLabel="Apply">
          <FilterSelect name="stage" label="Stage" value={params.stage}>
            <option value="">All stages you can see</option>
            {page.stages.map((s) => (
              <option key={s.key} value={s.code}>
                {s.name} ({s.code})
              </option>
            ))}
          </FilterSelect>
        </SearchForm>
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
        <Pager path="/groups" params={{ q: params.q, stage: params.stage }} page={page} firstPage />
      </Card>
    </>
  )
}
