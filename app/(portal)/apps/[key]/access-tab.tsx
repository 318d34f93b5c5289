import Link from 'next/link'
import { PagerLink } from '@/components/data-table/pager-link'
import { Badge, StatusBadge } from '@/components/ui/badge'
import { buttonClass } from '@/components/ui/button'
import { Card, EmptyState } from '@/components/ui/card'
import { inputClass } from '@/components/ui/field'
import { whoHasAccess } from '@/lib/access/who-has-access'
import { ForbiddenError } from '@/lib/errors'
import { loadPage } from '@/lib/page-guard'
import type { AppTabProps } from './tabs'

/** The "Who has access" tab (AUTHZ-7): everyone with access to the app in one stage, and how. */
export async function AccessTab({ app, ctx, searchParams }: AppTabProps) {
  const deployed = app.stages.filter((s) => s.deployed)
  if (deployed.length === 0) return <EmptyState title="Not deployed">Deploy the app to a stage on the Details tab to see who has access there.</EmptyState>
  const stage = deployed.find((s) => s.code === searchParams.stage) ?? deployed[deployed.length - 1]
  const role = app.roles.find((r) => r.key === searchParams.role)
  // Opening an app does not include seeing its end-users: say so on the tab instead of a 403 page.
  const page = await loadPage(() =>
    whoHasAccess(ctx, { appKey: app.key, stageKey: stage.key, appRoleKey: role?.key ?? '', after: searchParams.after }).catch((error: unknown) => {
      if (error instanceof ForbiddenError) return null
      throw error
    }),
  )
  if (!page) return <EmptyState title={`You cannot see who has access in ${stage.code}`}>That needs permission to view end-users of this app in {stage.code}.</EmptyState>
  const query = new URLSearchParams({ tab: 'access', stage: stage.code, ...(role ? { role: role.key } : {}) })
  const csv = new URLSearchParams({ stage: stage.code, ...(role ? { role: role.key } : {}) })
  return (
    <Card
      title={`Who has access in ${stage.code}`}
      description={
        role
          ? `Users holding “${role.name}” in ${stage.code}, directly or through a group.`
          : page.includesMembers
            ? `End-users holding any of the app’s roles in ${stage.code}, and members whose roles give them permissions on the app there.`
            : `End-users holding any of the app’s roles in ${stage.code}.`
      }
      actions={
        <a href={`/apps/${app.key}/access.csv?${csv}`} className={buttonClass('secondary')} download>
          Export CSV
        </a>
      }
    >
      <form className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter who has access">
        <input type="hidden" name="tab" value="access" />
        <div className="space-y-1">
          <label htmlFor="access-stage" className="block text-sm font-medium">
            Stage
          </label>
          <select id="access-stage" name="stage" defaultValue={stage.code} className={inputClass}>
            {deployed.map((s) => (
              <option key={s.key} value={s.code}>
                {s.name} ({s.code})
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="access-role" className="block text-sm font-medium">
            End-user role
          </label>
          <select id="access-role" name="role" defaultValue={role?.key ?? ''} className={inputClass}>
            <option value="">Any role, and members</option>
            {app.roles.map((r) => (
              <option key={r.key} value={r.key}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className={buttonClass('secondary')}>
          Show
        </button>
      </form>
      {page.rows.length === 0 ? (
        <EmptyState title={searchParams.after ? 'No more users' : 'Nobody has access here yet'}>
          {searchParams.after ? (
            <Link href={`/apps/${app.key}?${query}`} className="underline">
              Back to the first page
            </Link>
          ) : (
            'Give end-users roles of this app on their End-user access tab, or through a group in this stage.'
          )}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-xs text-slate-500 uppercase">
              <tr>
                <th scope="col" className="py-2 pr-4 font-medium">Name</th>
                <th scope="col" className="py-2 pr-4 font-medium">Email</th>
                <th scope="col" className="py-2 pr-4 font-medium">Status</th>
                <th scope="col" className="py-2 font-medium">Access through</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {page.rows.map((r) => (
                <tr key={r.key}>
                  <td className="py-2 pr-4">
                    <Link href={`/users/${r.key}?tab=effective`} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
                      {r.name || r.email || r.key}
                    </Link>
                  </td>
                  <td className="py-2 pr-4 text-slate-600 dark:text-slate-300">{r.email ?? '—'}</td>
                  <td className="py-2 pr-4">
                    <StatusBadge status={r.status} />
                  </td>
                  <td className="flex flex-wrap gap-1 py-2">
                    {r.how.map((h) => (
                      <Badge key={h} tone={h.endsWith('role') ? 'blue' : 'slate'}>
                        {h}
                      </Badge>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="mt-4 flex gap-3 text-sm">
        <PagerLink rel="prev" href={searchParams.after ? `/apps/${app.key}?${query}` : null}>
          First page
        </PagerLink>
        <PagerLink rel="next" href={page.next ? `/apps/${app.key}?${query}&after=${page.next}` : null}>
          Next
        </PagerLink>
      </div>
    </Card>
  )
}
