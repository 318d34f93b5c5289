'use client'

import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import { useTransition } from 'react'
import { createColumnHelper, functionalUpdate, rowSortingFeature, tableFeatures, useTable, type SortingState } from '@tanstack/react-table'
import { DataTable } from '@/components/data-table/data-table'
import { RowLink } from '@/components/data-table/row-link'
import { Badge, StatusBadge } from '@/components/ui/badge'
import type { UserRow } from '@/lib/users/list-users'

const features = tableFeatures({ rowSortingFeature })
const helper = createColumnHelper<typeof features, UserRow>()
const fmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' })

// Column ids double as the server's sort keys; columns without one cannot be sorted.
const columns = helper.columns([
  helper.accessor('name', {
    id: 'name',
    header: 'Name',
    cell: (c) => <RowLink href={`/users/${c.row.original.key}`}>{c.getValue() || '(no name)'}</RowLink>,
  }),
  helper.accessor('email', { id: 'email', header: 'Email', cell: (c) => c.getValue() ?? '—' }),
  helper.accessor('status', { id: 'status', header: 'Status', cell: (c) => <StatusBadge status={c.getValue()} /> }),
  helper.accessor('organizationRole', { id: 'role', header: 'Organization role', enableSorting: false, cell: (c) => c.getValue() ?? '—' }),
  helper.display({
    id: 'kind',
    header: 'Kind',
    cell: (c) => (
      <span className="flex gap-1">
        {c.row.original.isMember && <Badge tone="blue">Member</Badge>}
        {c.row.original.isEndUser && <Badge>{c.row.original.isInternal ? 'Internal end-user' : 'External end-user'}</Badge>}
      </span>
    ),
  }),
  helper.accessor('lastLoginAt', { id: 'lastLogin', header: 'Last sign-in', cell: (c) => (c.getValue() ? fmt.format(c.getValue()!) : 'Never') }),
  helper.accessor('createdAt', { id: 'created', header: 'Created', cell: (c) => fmt.format(c.getValue()) }),
])

export function UsersTable({ rows, sort, dir }: { rows: UserRow[]; sort: string; dir: 'asc' | 'desc' }) {
  const router = useRouter()
  const pathname = usePathname()
  const params = useSearchParams()
  const [pending, startTransition] = useTransition()
  const sorting: SortingState = [{ id: sort, desc: dir === 'desc' }]

  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: (row) => row.key,
    manualSorting: true,
    enableSortingRemoval: false,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = functionalUpdate(updater, sorting)[0]
      if (!next) return
      const query = new URLSearchParams(params)
      query.set('sort', next.id)
      query.set('dir', next.desc ? 'desc' : 'asc')
      // A new order starts from the first page.
      query.delete('after')
      query.delete('before')
      startTransition(() => router.push(`${pathname}?${query}`))
    },
  })

  return <DataTable table={table} pending={pending} />
}
