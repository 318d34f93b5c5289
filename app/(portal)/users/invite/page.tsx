import type { Metadata } from 'next'
import { Card, PageHeader } from '@/components/ui/card'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { listRoleOptions } from '@/lib/roles/list-role-options'
import { InviteForm } from './invite-form'

export const metadata: Metadata = { title: 'Invite member' }

export default async function InvitePage() {
  const ctx = await requireMemberContext()
  const roles = await loadPage(() => listRoleOptions(ctx))
  return (
    <>
      <PageHeader title="Invite a member" description="They receive an email with a 6-digit code and a link. The invitation is valid for 7 days." />
      <Card className="max-w-xl">
        <InviteForm roles={roles} />
      </Card>
    </>
  )
}
