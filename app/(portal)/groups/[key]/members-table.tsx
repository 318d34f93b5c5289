'use client'

import Link from 'next/link'
import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table'
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
      cell: (c) => (
        <Link href={`/users/${c.row.original.key}`} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
          {c.getValue() || '(no name)'}
        </Link>
      ),
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
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-300">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col" className="px-3 py-2 font-medium whitespace-nowrap">
                  {header.column.columnDef.header ? String(header.column.columnDef.header) : <span className="sr-only">Actions</span>}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/50">
              {row.getAllCells().map((cell) => (
                <td key={cell.id} className="px-3 py-2 align-top whitespace-nowrap">
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
