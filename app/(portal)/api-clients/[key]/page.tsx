import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { ApiClientStatusBadge } from '@/components/api-clients/status-badge'
import { first, type SearchParams } from '@/components/data-table/search-params'
import { TabNav } from '@/components/layout/tabs'
import { NoticeAlert } from '@/components/ui/alert'
import { PageHeader } from '@/components/ui/card'
import { getApiClient } from '@/lib/api-clients/get-api-client'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { uuidSchema } from '@/lib/validation'
import { apiClientNotices } from '../notices'
import { DetailsTab } from './details-tab'
import { PermissionsTab } from './permissions-tab'
import { SecretTab } from './secret-tab'
import { statusExplanation } from './status-explanation'

export const metadata: Metadata = { title: 'API client' }

const TABS = [
  { id: 'details', label: 'Details' },
  { id: 'permissions', label: 'Permissions' },
  { id: 'secret', label: 'Secret' },
] as const
type Tab = (typeof TABS)[number]['id']

export default async function ApiClientPage({ params, searchParams }: { params: Promise<{ key: string }>; searchParams: SearchParams }) {
  const { key } = await params
  if (!uuidSchema.safeParse(key).success) notFound()
  const raw = await searchParams
  const tab: Tab = TABS.find((t) => t.id === first(raw.tab))?.id ?? 'details'
  const ctx = await requireMemberContext()
  const client = await loadPage(() => getApiClient(ctx, { clientKey: key }))
  return (
    <>
      <PageHeader title={client.name} description={client.description || 'No description'} actions={<ApiClientStatusBadge status={client.status} />} />
      <NoticeAlert notices={apiClientNotices} notice={first(raw.notice)} />
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-300">{statusExplanation(client)}</p>
      <TabNav
        label="API client sections"
        current={tab}
        tabs={TABS.map((t) => ({ key: t.id, label: t.id === 'permissions' ? `${t.label} (${client.permissions.length})` : t.label, href: `/api-clients/${client.key}?tab=${t.id}` }))}
      />
      {tab === 'details' && <DetailsTab client={client} />}
      {tab === 'permissions' && <PermissionsTab client={client} />}
      {tab === 'secret' && <SecretTab client={client} />}
    </>
  )
}
