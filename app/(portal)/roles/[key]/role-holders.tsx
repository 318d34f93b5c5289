import Link from 'next/link'
import { PagerLink } from '@/components/data-table/pager-link'
import { Badge, StatusBadge } from '@/components/ui/badge'
import { EmptyState } from '@/components/ui/card'
import type { RoleHolderPage } from '@/lib/roles/list-role-holders'

const fmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' })
const stateTone = { active: 'green', scheduled: 'blue', expired: 'slate' } as const

function period(startsAt: Date | null, endsAt: Date | null): string {
  if (!startsAt && !endsAt) return 'No end'
  if (startsAt && endsAt) return `${fmt.format(startsAt)} – ${fmt.format(endsAt)}`
  return startsAt ? `From ${fmt.format(startsAt)}` : `Until ${fmt.format(endsAt!)}`
}

/** "Users with this role" (AUTHZ-7): one row per grant, linking to the user. */
export function RoleHolders({ roleKey, page }: { roleKey: string; page: RoleHolderPage }) {
  if (page.total === 0) return <EmptyState title="Nobody holds this role">Give it to a member from their user page, at organization scope or for one app.</EmptyState>
  const link = (cursor: Record<string, string>) => `/roles/${roleKey}?${new URLSearchParams(cursor)}#holders`
  return (
    <>
      <p className="mb-2 text-sm text-slate-500" aria-live="polite">
        {page.total.toLocaleString('en')} {page.total === 1 ? 'grant' : 'grants'}
      </p>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-300">
            <tr>
              <th scope="col" className="px-3 py-2">
                Name
              </th>
              <th scope="col" className="px-3 py-2">
                Email
              </th>
              <th scope="col" className="px-3 py-2">
                Scope
              </th>
              <th scope="col" className="px-3 py-2">
                Grant period
              </th>
              <th scope="col" className="px-3 py-2">
                User status
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {page.rows.map((r) => (
              <tr key={r.grantKey}>
                <td className="px-3 py-2">
                  <Link href={`/users/${r.userKey}`} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
                    {r.name || '(no name)'}
                  </Link>
                </td>
                <td className="px-3 py-2">{r.email ?? '—'}</td>
                <td className="px-3 py-2">{r.scope.type === 'organization' ? 'Organization' : `App: ${r.scope.appName}`}</td>
                <td className="px-3 py-2">
                  <Badge tone={stateTone[r.state]}>{r.state[0].toUpperCase() + r.state.slice(1)}</Badge> <span className="text-slate-500">{period(r.startsAt, r.endsAt)}</span>
                </td>
                <td className="px-3 py-2">
                  <StatusBadge status={r.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pages of users with this role" className="mt-4 flex justify-end gap-2 text-sm">
        <PagerLink href={page.previous ? link({ before: page.previous }) : null} rel="prev">
          Previous
        </PagerLink>
        <PagerLink href={page.next ? link({ after: page.next }) : null} rel="next">
          Next
        </PagerLink>
      </nav>
    </>
  )
}
