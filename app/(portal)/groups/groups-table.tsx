'use client'

import Link from 'next/link'
import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table'
import { Badge } from '@/components/ui/badge'
import type { GroupListRow } from '@/lib/groups/list-groups'

const features = tableFeatures({})
const helper = createColumnHelper<typeof features, GroupListRow>()

// The list is always in name order (keyset pages over the name index), so no column sorts.
const columns = helper.columns([
  helper.accessor('name', {
    id: 'name',
    header: 'Name',
    cell: (c) => (
      <Link href={`/groups/${c.row.original.key}`} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
        {c.getValue()}
      </Link>
    ),
  }),
  helper.accessor('stageCode', { id: 'stage', header: 'Stage', cell: (c) => <Badge tone="blue">{c.getValue()}</Badge> }),
  helper.accessor('description', { id: 'description', header: 'Description', cell: (c) => <span className="line-clamp-1 max-w-md whitespace-normal text-slate-600 dark:text-slate-300">{c.getValue() || '—'}</span> }),
  helper.accessor('roles', { id: 'roles', header: 'Roles', cell: (c) => c.getValue().toLocaleString('en') }),
  helper.accessor('users', { id: 'users', header: 'Users', cell: (c) => c.getValue().toLocaleString('en') }),
])

export function GroupsTable({ rows }: { rows: GroupListRow[] }) {
  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.key })
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-300">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col" className="px-3 py-2 font-medium whitespace-nowrap">
                  {String(header.column.columnDef.header)}
                </th>
              ))}
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
