import type { Metadata } from 'next'
import Link from 'next/link'
import { AuditList } from '@/components/audit/audit-list'
import { Card, EmptyState, PageHeader } from '@/components/ui/card'
import { getDashboard } from '@/lib/dashboard/get-dashboard'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'

export const metadata: Metadata = { title: 'Dashboard' }

const number = new Intl.NumberFormat('en')

function Stat({ label, value, href }: { label: string; value: number; href: string }) {
  return (
    <Link href={href} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm hover:border-brand-600 dark:border-slate-800 dark:bg-slate-900">
      <p className="text-sm text-slate-500 dark:text-slate-400">{label}</p>
      <p className="mt-1 text-3xl font-semibold tabular-nums">{number.format(value)}</p>
    </Link>
  )
}

export default async function DashboardPage() {
  const ctx = await requireMemberContext()
  const { counts, groups, apps, recent } = await loadPage(() => getDashboard(ctx))
  return (
    <>
      <PageHeader title="Dashboard" description="Who is in your organization and what changed lately." />
      {counts ? (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <Stat label="Members" value={counts.members} href="/users?kind=member" />
          <Stat label="Internal end-users" value={counts.internalEndUsers} href="/users?kind=end-user&class=internal" />
          <Stat label="External end-users" value={counts.externalEndUsers} href="/users?kind=end-user&class=external" />
          <Stat label="Pending invitations" value={counts.pendingInvitations} href="/users?status=Invited" />
          {groups !== null && <Stat label="Groups" value={groups} href="/groups" />}
          {apps !== null && <Stat label="Apps" value={apps} href="/apps" />}
        </div>
      ) : (
        <EmptyState title="Nothing to show here yet">Your role does not include viewing users. Open “My access” to see what you can do.</EmptyState>
      )}
      {recent && (
        <Card title="Latest changes" className="mt-8" actions={<Link href="/audit" className="text-sm text-brand-700 underline dark:text-brand-100">Full audit trail</Link>}>
          {recent.length ? <AuditList events={recent} /> : <EmptyState title="No changes recorded yet" />}
        </Card>
      )}
    </>
  )
}
