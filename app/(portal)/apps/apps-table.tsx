'use client'

import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table'
import { DataTable } from '@/components/data-table/data-table'
import { RowLink } from '@/components/data-table/row-link'
import { Badge } from '@/components/ui/badge'
import type { AppRow } from '@/lib/apps/list-apps'

const features = tableFeatures({})
const helper = createColumnHelper<typeof features, AppRow>()

// Apps are listed by name only (the keyset order); no column sorts.
const columns = helper.columns([
  helper.accessor('name', {
    id: 'name',
    header: 'Name',
    cell: (c) => <RowLink href={`/apps/${c.row.original.key}`}>{c.getValue()}</RowLink>,
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
  return <DataTable table={table} />
}
