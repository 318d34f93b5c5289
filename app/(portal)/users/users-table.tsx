'use client'

import Link from 'next/link'
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import { useTransition } from 'react'
import { createColumnHelper, functionalUpdate, rowSortingFeature, tableFeatures, useTable, type SortingState } from '@tanstack/react-table'
import { ariaSort, SortHeader } from '@/components/data-table/sort-header'
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
    cell: (c) => (
      <Link href={`/users/${c.row.original.key}`} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
        {c.getValue() || '(no name)'}
      </Link>
    ),
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
        {c.row.original.isEndUser && <Badge>End-user</Badge>}
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

  return (
    <div className="overflow-x-auto" aria-busy={pending}>
      <table className={`w-full text-left text-sm ${pending ? 'opacity-60' : ''}`}>
        <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-300">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted()
                return (
                  <th key={header.id} scope="col" className="px-3 py-2 whitespace-nowrap" aria-sort={header.column.getCanSort() ? ariaSort(sorted) : undefined}>
                    <SortHeader label={String(header.column.columnDef.header)} sorted={sorted} onToggle={header.column.getCanSort() ? header.column.getToggleSortingHandler() : undefined} />
                  </th>
                )
              })}
            </tr>
          ))}
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/50">
              {row.getAllCells().map((cell) => (
                <td key={cell.id} className="px-3 py-2 whitespace-nowrap">
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
