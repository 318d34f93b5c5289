import { Pager } from '@/components/data-table/pager'
import { EmptyState } from '@/components/ui/card'
import type { RoleHolderPage } from '@/lib/roles/list-role-holders'
import { RoleHoldersTable } from './role-holders-table'

/** "Users with this role" (AUTHZ-7): one row per grant, linking to the user. */
export function RoleHolders({ roleKey, page }: { roleKey: string; page: RoleHolderPage }) {
  if (page.total === 0) return <EmptyState title="Nobody holds this role">Give it to a member from their user page, at organization scope or for one app.</EmptyState>
  return (
    <>
      <p className="mb-2 text-sm text-slate-500" aria-live="polite">
        {page.total.toLocaleString('en')} {page.total === 1 ? 'grant' : 'grants'}
      </p>
      <RoleHoldersTable rows={page.rows} />
      <Pager path={`/roles/${roleKey}`} hash="#holders" page={page} label="Pages of users with this role" />
    </>
  )
}
