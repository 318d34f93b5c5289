import type { Metadata } from 'next'
import { CreateAppForm } from '@/components/apps/create-app-form'
import { Card, PageHeader } from '@/components/ui/card'
import { getNewAppOptions } from '@/lib/apps/get-new-app-options'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { createAppAction } from '../actions'

export const metadata: Metadata = { title: 'Create app' }

export default async function NewAppPage() {
  const ctx = await requireMemberContext()
  const { stages } = await loadPage(() => getNewAppOptions(ctx))
  return (
    <>
      <PageHeader title="Create an app" description="Register an app and choose the stages it is deployed to. You add its end-user roles next." />
      <Card className="max-w-xl">
        <CreateAppForm stages={stages} action={createAppAction} />
      </Card>
    </>
  )
}
