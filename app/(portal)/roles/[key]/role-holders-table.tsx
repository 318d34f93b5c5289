'use client'

import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table'
import { DataTable } from '@/components/data-table/data-table'
import { RowLink } from '@/components/data-table/row-link'
import { Badge, StatusBadge } from '@/components/ui/badge'
import type { RoleHolder } from '@/lib/roles/list-role-holders'

const features = tableFeatures({})
const helper = createColumnHelper<typeof features, RoleHolder>()
const fmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' })
const stateTone = { active: 'green', scheduled: 'blue', expired: 'slate' } as const

function period(startsAt: Date | null, endsAt: Date | null): string {
  if (!startsAt && !endsAt) return 'No end'
  if (startsAt && endsAt) return `${fmt.format(startsAt)} – ${fmt.format(endsAt)}`
  return startsAt ? `From ${fmt.format(startsAt)}` : `Until ${fmt.format(endsAt!)}`
}

// One row per grant, in the server's keyset order (holder name); no column sorts.
const columns = helper.columns([
  helper.accessor('name', {
    id: 'name',
    header: 'Name',
    cell: (c) => <RowLink href={`/users/${c.row.original.userKey}`}>{c.getValue() || '(no name)'}</RowLink>,
  }),
  helper.accessor('email', { id: 'email', header: 'Email', cell: (c) => c.getValue() ?? '—' }),
  helper.accessor('scope', {
    id: 'scope',
    header: 'Scope',
    cell: (c) => {
      const scope = c.getValue()
      return scope.type === 'organization' ? 'Organization' : `App: ${scope.appName}`
    },
  }),
  helper.display({
    id: 'period',
    header: 'Grant period',
    cell: (c) => {
      const r = c.row.original
      return (
        <>
          <Badge tone={stateTone[r.state]}>{r.state[0].toUpperCase() + r.state.slice(1)}</Badge> <span className="text-slate-500">{period(r.startsAt, r.endsAt)}</span>
        </>
      )
    },
  }),
  helper.accessor('status', { id: 'status', header: 'User status', cell: (c) => <StatusBadge status={c.getValue()} /> }),
])

export function RoleHoldersTable({ rows }: { rows: RoleHolder[] }) {
  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.grantKey })
  return <DataTable table={table} />
}
