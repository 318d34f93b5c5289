'use client'

import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table'
import { DataTable } from '@/components/data-table/data-table'
import { RowLink } from '@/components/data-table/row-link'
import { Badge } from '@/components/ui/badge'
import type { RoleSummary } from '@/lib/roles/list-roles'

const features = tableFeatures({})
const helper = createColumnHelper<typeof features, RoleSummary>()
const numeric = { className: 'text-right tabular-nums' }

// Built-in roles first, then custom roles by name (the server's order); no column sorts.
const columns = helper.columns([
  helper.accessor('name', {
    id: 'name',
    header: 'Role',
    cell: (c) => (
      <>
        <RowLink href={`/roles/${c.row.original.key}`}>{c.getValue()}</RowLink>{' '}
        {c.row.original.isReadOnly && <Badge>Built-in · read-only</Badge>}
      </>
    ),
  }),
  helper.accessor('description', { id: 'description', header: 'Description', cell: (c) => <span className="whitespace-normal text-slate-600 dark:text-slate-300">{c.getValue() || '—'}</span> }),
  helper.accessor('permissionCount', { id: 'permissions', header: 'Permissions', meta: numeric, cell: (c) => c.getValue() }),
  helper.accessor('userCount', { id: 'users', header: 'Users', meta: numeric, cell: (c) => `${c.getValue().toLocaleString('en')} ${c.getValue() === 1 ? 'user' : 'users'}` }),
])

export function RolesTable({ rows }: { rows: RoleSummary[] }) {
  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.key })
  return <DataTable table={table} />
}
