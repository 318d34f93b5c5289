import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { TabNav } from '@/components/layout/tabs'
import { first, type SearchParams } from '@/components/data-table/search-params'
import { NoticeAlert } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Card, PageHeader } from '@/components/ui/card'
import { getGroup } from '@/lib/groups/get-group'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { uuidSchema } from '@/lib/validation'
import { groupNotices } from '../notices'
import { DetailsTab } from './details-tab'
import { GroupRolesForm } from './roles-form'
import { UsersTab } from './users-tab'

export const metadata: Metadata = { title: 'Group' }

const TABS = [
  { id: 'roles', label: 'Roles' },
  { id: 'users', label: 'Users' },
  { id: 'details', label: 'Details' },
] as const
type Tab = (typeof TABS)[number]['id']

export default async function GroupPage({ params, searchParams }: { params: Promise<{ key: string }>; searchParams: SearchParams }) {
  const { key } = await params
  if (!uuidSchema.safeParse(key).success) notFound()
  const raw = await searchParams
  const tab: Tab = TABS.find((t) => t.id === first(raw.tab))?.id ?? 'roles'
  const notice = first(raw.notice)
  const ctx = await requireMemberContext()
  const group = await loadPage(() => getGroup(ctx, { groupKey: key }))

  return (
    <>
      <PageHeader
        title={group.name}
        description={group.description || 'No description'}
        actions={
          <Badge tone="blue">
            {group.stage.name} ({group.stage.code})
          </Badge>
        }
      />
      <NoticeAlert notices={groupNotices} notice={notice} />
      <TabNav
        label="Group sections"
        current={tab}
        tabs={TABS.map((t) => ({
          key: t.id,
          label: t.id === 'roles' ? `${t.label} (${group.granted})` : t.id === 'users' ? `${t.label} (${group.members.toLocaleString('en')})` : t.label,
          href: `/groups/${group.key}?tab=${t.id}`,
        }))}
      />
      {tab === 'roles' && (
        <Card title="Roles" description={`Every member gets these application roles in ${group.stage.code}, in addition to any they hold directly or through other groups. Only apps deployed in ${group.stage.code} are listed.`}>
          <GroupRolesForm groupKey={group.key} version={group.version} apps={group.apps} stageCode={group.stage.code} canManage={group.can.manage} />
        </Card>
      )}
      {tab === 'users' && <UsersTab group={group} raw={raw} ctx={ctx} />}
      {tab === 'details' && <DetailsTab group={group} ctx={ctx} />}
    </>
  )
}
