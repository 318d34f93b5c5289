import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
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
      <nav aria-label="Group sections" className="mb-6 flex gap-1 border-b border-slate-200 dark:border-slate-800">
        {TABS.map((t) => (
          <Link
            key={t.id}
            href={`/groups/${group.key}?tab=${t.id}`}
            aria-current={t.id === tab ? 'page' : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${t.id === tab ? 'border-brand-600 text-brand-700 dark:text-brand-100' : 'border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-300'}`}
          >
            {t.label}
            {t.id === 'roles' && ` (${group.granted})`}
            {t.id === 'users' && ` (${group.members.toLocaleString('en')})`}
          </Link>
        ))}
      </nav>
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
