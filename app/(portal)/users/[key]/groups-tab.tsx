import { ConfirmAction } from '@/components/forms/confirm-action'
import { Badge } from '@/components/ui/badge'
import { Card, EmptyState } from '@/components/ui/card'
import type { Ctx } from '@/lib/context'
import { listGroups } from '@/lib/groups/list-groups'
import { listUserGroups } from '@/lib/groups/list-user-groups'
import { loadPage } from '@/lib/page-guard'
import { setUserGroupMembershipAction } from '../actions'
import { AddToGroupForm } from './add-to-group-form'

/** The Groups tab of a user (UI-4): the groups they are in, with the roles each grants them. */
export async function GroupsTab({ userKey, who, ctx, q }: { userKey: string; who: string; ctx: Ctx; q?: string }) {
  const [memberships, candidates] = await loadPage(() => Promise.all([listUserGroups(ctx, { userKey }), listGroups(ctx, { q: q ?? '', perPage: 100 })]))
  const manageable = new Set(candidates.manageStages.map((s) => s.key))
  const joined = new Set(memberships.map((m) => m.key))
  const choices = candidates.rows.filter((g) => manageable.has(g.stageKey) && !joined.has(g.key))
  return (
    <div className="space-y-6">
      <Card title="Groups" description="Each group belongs to one stage and grants its application roles to its members.">
        {memberships.length === 0 ? (
          <EmptyState title="Not in any group">{choices.length ? 'Add them to a group below.' : null}</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {memberships.map((g) => (
              <li key={g.key} className="flex flex-wrap items-start justify-between gap-3 py-3 text-sm">
                <div>
                  <p className="flex items-center gap-2 font-medium">
                    <a href={`/groups/${g.key}`} className="text-brand-700 hover:underline dark:text-brand-100">
                      {g.name}
                    </a>
                    <Badge>{g.stageCode}</Badge>
                    {g.types.map((t) => (
                      <Badge key={t} tone={t === 'Mapped' ? 'amber' : 'slate'}>
                        {t}
                      </Badge>
                    ))}
                  </p>
                  <p className="mt-1 text-slate-600 dark:text-slate-300">{g.roles.length ? g.roles.map((r) => `${r.appName} · ${r.roleName}`).join(', ') : 'Grants no roles yet.'}</p>
                </div>
                {g.types.includes('Assigned') && manageable.has(g.stageKey) && (
                  <ConfirmAction
                    action={setUserGroupMembershipAction}
                    fields={{ userKey, groupKey: g.key, member: 'false' }}
                    label="Remove from group"
                    title={`Remove ${who} from ${g.name}?`}
                    description={g.roles.length ? `They lose ${g.roles.map((r) => `${r.appName} · ${r.roleName}`).join(', ')} in ${g.stageCode}, unless they hold it another way.` : 'The group grants no roles, so they lose no access.'}
                    confirmLabel="Remove"
                  />
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
      {candidates.manageStages.length > 0 && (
        <Card title="Add to a group">
          <form className="mb-3 flex max-w-md gap-2" role="search">
            <input type="hidden" name="tab" value="groups" />
            <label htmlFor="group-filter" className="sr-only">
              Find groups by name
            </label>
            <input id="group-filter" name="q" defaultValue={q ?? ''} placeholder="Find groups by name" className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900" />
            <button type="submit" className="rounded-md border border-slate-300 px-3 text-sm dark:border-slate-700">
              Find
            </button>
          </form>
          {choices.length === 0 ? <p className="text-sm text-slate-500">{q ? 'No group you manage matches that name.' : 'No other group you manage.'}</p> : <AddToGroupForm userKey={userKey} groups={choices.map((g) => ({ key: g.key, label: `${g.name} (${g.stageCode})` }))} />}
          {candidates.next && <p className="mt-2 text-xs text-slate-500">Only the first 100 groups are listed; type part of a name to find others.</p>}
        </Card>
      )}
    </div>
  )
}
