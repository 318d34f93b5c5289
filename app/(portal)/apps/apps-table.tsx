'use client'

import Link from 'next/link'
import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table'
import { Badge } from '@/components/ui/badge'
import type { AppRow } from '@/lib/apps/list-apps'

const features = tableFeatures({})
const helper = createColumnHelper<typeof features, AppRow>()

// Apps are listed by name only (the keyset order); no column sorts.
const columns = helper.columns([
  helper.accessor('name', {
    id: 'name',
    header: 'Name',
    cell: (c) => (
      <Link href={`/apps/${c.row.original.key}`} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
        {c.getValue()}
      </Link>
    ),
  }),
  helper.accessor('description', { id: 'description', header: 'Description', cell: (c) => <span className="line-clamp-2 max-w-md whitespace-normal">{c.getValue() || '—'}</span> }),
  helper.accessor('stageCodes', {
    id: 'stages',
    header: 'Deployed to',
    cell: (c) => (
      <span className="flex gap-1">
        {c.getValue().length ? c.getValue().map((code) => <Badge key={code}>{code}</Badge>) : '—'}
      </span>
    ),
  }),
  helper.accessor('roleCount', { id: 'roles', header: 'End-user roles', cell: (c) => c.getValue() }),
])

export function AppsTable({ rows }: { rows: AppRow[] }) {
  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.key })
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-300">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col" className="px-3 py-2 whitespace-nowrap">
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
                <td key={cell.id} className="px-3 py-2 align-top">
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
