import type { Metadata } from 'next'
import Link from 'next/link'
import { Alert } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { buttonClass } from '@/components/ui/button'
import { Card, EmptyState, PageHeader } from '@/components/ui/card'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { listRoles } from '@/lib/roles/list-roles'
import { roleNotices, type RoleNotice } from './notices'

export const metadata: Metadata = { title: 'Organization roles' }

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`

export default async function RolesPage({ searchParams }: { searchParams: Promise<{ notice?: string }> }) {
  const ctx = await requireMemberContext()
  const { notice } = await searchParams
  const { roles, canManage } = await loadPage(() => listRoles(ctx))
  const hasCustom = roles.some((r) => !r.isReadOnly)
  return (
    <>
      <PageHeader
        title="Organization roles"
        description="What members may do across the organization or in one app. Built-in roles are read-only; duplicate one to make your own."
        actions={
          canManage && (
            <Link href="/roles/new" className={buttonClass('primary')}>
              Create role
            </Link>
          )
        }
      />
      {notice && notice in roleNotices && (
        <div className="mb-6">
          <Alert tone="success">{roleNotices[notice as RoleNotice]}</Alert>
        </div>
      )}
      <Card>
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-300">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Role
                </th>
                <th scope="col" className="px-3 py-2">
                  Description
                </th>
                <th scope="col" className="px-3 py-2 text-right">
                  Permissions
                </th>
                <th scope="col" className="px-3 py-2 text-right">
                  Users
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {roles.map((r) => (
                <tr key={r.key}>
                  <td className="px-3 py-2 whitespace-nowrap">
                    <Link href={`/roles/${r.key}`} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
                      {r.name}
                    </Link>{' '}
                    {r.isReadOnly && <Badge>Built-in · read-only</Badge>}
                  </td>
                  <td className="px-3 py-2 text-slate-600 dark:text-slate-300">{r.description || '—'}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{r.permissionCount}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{plural(r.userCount, 'user', 'users')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {!hasCustom && (
          <div className="mt-6">
            <EmptyState title="No custom roles yet">
              {canManage ? (
                <>
                  <Link href="/roles/new" className="text-brand-700 underline dark:text-brand-100">
                    Create a role
                  </Link>{' '}
                  from the permission registry, or open a built-in role and duplicate it.
                </>
              ) : (
                'An administrator can create roles tailored to your organization.'
              )}
            </EmptyState>
          </div>
        )}
      </Card>
    </>
  )
}
