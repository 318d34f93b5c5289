import type { Metadata } from 'next'
import { Card, PageHeader } from '@/components/ui/card'
import { RoleEditor } from '@/components/roles/role-editor'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { getPermissionRegistry } from '@/lib/roles/get-role'
import { createRoleAction } from '../actions'

export const metadata: Metadata = { title: 'Create role' }

export default async function NewRolePage() {
  const ctx = await requireMemberContext()
  const registry = await loadPage(() => getPermissionRegistry(ctx))
  return (
    <>
      <PageHeader title="Create role" description="A custom organization role: a name and the permissions it grants, each in every stage or only in some." />
      <Card>
        <RoleEditor registry={registry} saveAction={createRoleAction} />
      </Card>
    </>
  )
}
