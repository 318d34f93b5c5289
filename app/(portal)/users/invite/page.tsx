import type { Metadata } from 'next'
import { Card, PageHeader } from '@/components/ui/card'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { getInviteOptions } from '@/lib/users/invite-options'
import { InviteForm } from './invite-form'

export const metadata: Metadata = { title: 'Invite' }

export default async function InvitePage() {
  const ctx = await requireMemberContext()
  const options = await loadPage(() => getInviteOptions(ctx))
  return (
    <>
      <PageHeader title="Invite someone" description="A member gets an organization role; an end-user gets groups and end-user roles; someone can be both. They receive an email with a 6-digit code and a link, valid for 7 days." />
      <Card className="max-w-xl">
        <InviteForm options={options} />
      </Card>
    </>
  )
}
