import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { TabNav } from '@/components/layout/tabs'
import type { SearchParams } from '@/components/data-table/search-params'
import { NoticeAlert } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { PageHeader } from '@/components/ui/card'
import { getApp } from '@/lib/apps/get-app'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { uuidSchema } from '@/lib/validation'
import { appNotices } from '../notices'
import { appTabs } from './tabs'

export const metadata: Metadata = { title: 'App' }

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
          <span className="flex gap-1" role="group" aria-label="Deployed stages">
            {deployed.length ? deployed.map((s) => <Badge key={s.key}>{s.code}</Badge>) : <Badge tone="amber">Not deployed</Badge>}
          </span>
        }
      />
      <NoticeAlert notices={appNotices} notice={raw.notice} />
      <TabNav label="App sections" current={tab.id} tabs={appTabs.map((t) => ({ key: t.id, label: t.label, href: `/apps/${app.key}?tab=${t.id}` }))} />
      {await tab.render({ app, ctx, searchParams: raw })}
    </>
  )
}
