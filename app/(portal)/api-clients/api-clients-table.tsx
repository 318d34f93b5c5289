'use client'

import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table'
import { ApiClientStatusBadge } from '@/components/api-clients/status-badge'
import { DataTable } from '@/components/data-table/data-table'
import { RowLink } from '@/components/data-table/row-link'
import type { ApiClientListRow } from '@/lib/api-clients/list-api-clients'

const features = tableFeatures({})
const helper = createColumnHelper<typeof features, ApiClientListRow>()
const fmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' })

// Always in name order (keyset pages over lower(name)), so no column sorts.
const columns = helper.columns([
  helper.accessor('name', { id: 'name', header: 'Name', cell: (c) => <RowLink href={`/api-clients/${c.row.original.key}`}>{c.getValue()}</RowLink> }),
  helper.accessor('clientId', { id: 'clientId', header: 'Client id', cell: (c) => <code className="text-xs">{c.getValue()}</code> }),
  helper.accessor('status', { id: 'status', header: 'Status', cell: (c) => <ApiClientStatusBadge status={c.getValue()} /> }),
  helper.accessor('secretExpiresAt', {
    id: 'secretExpiresAt',
    header: 'Secret expires',
    cell: (c) => {
      const d = c.getValue()
      return d ? <time dateTime={new Date(d).toISOString()}>{fmt.format(new Date(d))}</time> : <span className="text-slate-500">No working secret</span>
    },
  }),
  helper.accessor('permissionCount', { id: 'permissions', header: 'Permissions', cell: (c) => c.getValue().toLocaleString('en') }),
])

export function ApiClientsTable({ rows }: { rows: ApiClientListRow[] }) {
  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.key })
  return <DataTable table={table} />
}
