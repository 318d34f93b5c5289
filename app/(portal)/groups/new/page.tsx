import type { Metadata } from 'next'
import { Card, PageHeader } from '@/components/ui/card'
import { listGroupStages } from '@/lib/groups/list-group-stages'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { CreateGroupForm } from './create-group-form'

export const metadata: Metadata = { title: 'New group' }

export default async function NewGroupPage() {
  const ctx = await requireMemberContext()
  const stages = await loadPage(() => listGroupStages(ctx))
  return (
    <>
      <PageHeader title="New group" description="A group belongs to one stage for good and can only hold roles of apps deployed in that stage." />
      <Card className="max-w-xl">
        <CreateGroupForm stages={stages} />
      </Card>
    </>
  )
}
