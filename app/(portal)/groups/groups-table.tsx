'use client'

import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table'
import { DataTable } from '@/components/data-table/data-table'
import { RowLink } from '@/components/data-table/row-link'
import { Badge } from '@/components/ui/badge'
import type { GroupListRow } from '@/lib/groups/list-groups'

const features = tableFeatures({})
const helper = createColumnHelper<typeof features, GroupListRow>()

// The list is always in name order (keyset pages over the name index), so no column sorts.
const columns = helper.columns([
  helper.accessor('name', {
    id: 'name',
    header: 'Name',
    cell: (c) => <RowLink href={`/groups/${c.row.original.key}`}>{c.getValue()}</RowLink>,
  }),
  helper.accessor('stageCode', { id: 'stage', header: 'Stage', cell: (c) => <Badge tone="blue">{c.getValue()}</Badge> }),
  helper.accessor('description', { id: 'description', header: 'Description', cell: (c) => <span className="line-clamp-1 max-w-md whitespace-normal text-slate-600 dark:text-slate-300">{c.getValue() || '—'}</span> }),
  helper.accessor('roles', { id: 'roles', header: 'Roles', cell: (c) => c.getValue().toLocaleString('en') }),
  helper.accessor('users', { id: 'users', header: 'Users', cell: (c) => c.getValue().toLocaleString('en') }),
])

export function GroupsTable({ rows }: { rows: GroupListRow[] }) {
  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.key })
  return <DataTable table={table} />
}
