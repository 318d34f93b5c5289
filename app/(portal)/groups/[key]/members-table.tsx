'use client'

import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table'
import { DataTable } from '@/components/data-table/data-table'
import { RowLink } from '@/components/data-table/row-link'
import { MembershipBadge } from '@/components/groups/membership-badge'
import { ConfirmAction } from '@/components/forms/confirm-action'
import { StatusBadge } from '@/components/ui/badge'
import type { GroupMemberRow } from '@/lib/groups/list-group-members'
import { removeGroupMemberAction } from '../actions'

const features = tableFeatures({})
const helper = createColumnHelper<typeof features, GroupMemberRow>()

export function MembersTable({ rows, groupKey, groupName, canManage }: { rows: GroupMemberRow[]; groupKey: string; groupName: string; canManage: boolean }) {
  const columns = helper.columns([
    helper.accessor('name', {
      id: 'name',
      header: 'Name',
      cell: (c) => <RowLink href={`/users/${c.row.original.key}`}>{c.getValue() || '(no name)'}</RowLink>,
    }),
    helper.accessor('email', { id: 'email', header: 'Email', cell: (c) => c.getValue() ?? '—' }),
    helper.accessor('status', { id: 'status', header: 'Status', cell: (c) => <StatusBadge status={c.getValue()} /> }),
    helper.accessor('types', {
      id: 'membership',
      header: 'Membership',
      cell: (c) => (
        <span className="flex gap-1">
          {c.getValue().map((t) => (
            <MembershipBadge key={t} type={t} />
          ))}
        </span>
      ),
    }),
    helper.display({
      id: 'actions',
      header: '',
      cell: (c) => {
        const u = c.row.original
        if (!canManage) return null
        if (!u.types.includes('Assigned')) return <span className="text-xs text-slate-500">Mapped by an identity provider; change the mapping to remove.</span>
        return (
          <ConfirmAction
            action={removeGroupMemberAction}
            fields={{ groupKey, userKey: u.key }}
            label="Remove"
            variant="secondary"
            title={`Remove ${u.name || u.email || 'this user'} from ${groupName}?`}
            description={`They lose the roles they hold only through this group on their next request.${u.types.includes('Mapped') ? ' They stay in the group through their identity provider’s claim mapping.' : ''}`}
            confirmLabel="Remove"
          />
        )
      },
    }),
  ])
  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.key })
  return <DataTable table={table} />
}
