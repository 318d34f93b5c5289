import type { Metadata } from 'next'
import Link from 'next/link'
import { NoticeAlert } from '@/components/ui/alert'
import { buttonClass } from '@/components/ui/button'
import { Card, EmptyState, PageHeader } from '@/components/ui/card'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { listRoles } from '@/lib/roles/list-roles'
import { roleNotices } from './notices'
import { RolesTable } from './roles-table'

export const metadata: Metadata = { title: 'Organization roles' }

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
      <NoticeAlert notices={roleNotices} notice={notice} />
      <Card>
        <RolesTable rows={roles} />
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
