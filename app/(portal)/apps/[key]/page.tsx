import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { AppTabs } from '@/components/apps/app-tabs'
import { Alert } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { PageHeader } from '@/components/ui/card'
import { getApp } from '@/lib/apps/get-app'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { uuidSchema } from '@/lib/validation'
import { appNotices, type AppNotice } from '../notices'
import { appTabs } from './tabs'

export const metadata: Metadata = { title: 'App' }

type SearchParams = Promise<Record<string, string | string[] | undefined>>

export default async function AppPage({ params, searchParams }: { params: Promise<{ key: string }>; searchParams: SearchParams }) {
  const { key } = await params
  if (!uuidSchema.safeParse(key).success) notFound()
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]))
  const ctx = await requireMemberContext()
  const app = await loadPage(() => getApp(ctx, { appKey: key }))
  const tab = appTabs.find((t) => t.id === raw.tab) ?? appTabs[0]
  const deployed = app.stages.filter((s) => s.deployed)
  return (
    <>
      <PageHeader
        title={app.name}
        description={app.description || 'No description'}
        actions={
          <span className="flex gap-1" aria-label="Deployed to">
            {deployed.length ? deployed.map((s) => <Badge key={s.key}>{s.code}</Badge>) : <Badge tone="amber">Not deployed</Badge>}
          </span>
        }
      />
      {raw.notice && raw.notice in appNotices && (
        <div className="mb-6">
          <Alert tone="success">{appNotices[raw.notice as AppNotice]}</Alert>
        </div>
      )}
      <AppTabs base={`/apps/${app.key}`} tabs={appTabs} current={tab.id} />
      {await tab.render({ app, ctx, searchParams: raw })}
    </>
  )
}
