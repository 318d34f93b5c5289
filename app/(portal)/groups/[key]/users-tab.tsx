import Link from 'next/link'
import { PagerLink } from '@/components/data-table/pager-link'
import { buttonClass } from '@/components/ui/button'
import { Card, EmptyState } from '@/components/ui/card'
import { inputClass } from '@/components/ui/field'
import type { Ctx } from '@/lib/context'
import type { GroupDetail } from '@/lib/groups/get-group'
import { listGroupMembers } from '@/lib/groups/list-group-members'
import { listGroupMembersSchema } from '@/lib/groups/schemas'
import { loadPage } from '@/lib/page-guard'
import { AddMemberForm } from './add-member-form'
import { MembersTable } from './members-table'

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)

/** The Users tab: keyset pages of members with search, add by email, remove Assigned members. */
export async function UsersTab({ group, raw, ctx }: { group: GroupDetail; raw: Record<string, string | string[] | undefined>; ctx: Ctx }) {
  const input = { groupKey: group.key, q: first(raw.q), after: first(raw.after), before: first(raw.before), perPage: first(raw.perPage) }
  const params = listGroupMembersSchema.parse(input)
  const page = await loadPage(() => listGroupMembers(ctx, input))
  const link = (cursor: Record<string, string>) => {
    const q = new URLSearchParams({ tab: 'users' })
    if (params.q) q.set('q', params.q)
    for (const [k, v] of Object.entries(cursor)) q.set(k, v)
    return `/groups/${group.key}?${q}`
  }
  return (
    <Card title="Users" description="Assigned members were added here or through the API. Mapped members come from an identity provider’s claim mapping at sign-in and can only be removed by changing that mapping.">
      {group.can.manage && (
        <div className="mb-4">
          <AddMemberForm groupKey={group.key} />
        </div>
      )}
      <form role="search" action={`/groups/${group.key}`} className="mb-4 flex flex-wrap items-end gap-3">
        <input type="hidden" name="tab" value="users" />
        <div className="min-w-64 flex-1">
          <label htmlFor="q" className="mb-1 block text-sm font-medium">
            Search members
          </label>
          <input id="q" name="q" type="search" defaultValue={params.q} maxLength={100} placeholder="Name or email contains…" className={inputClass} />
        </div>
        <button type="submit" className={buttonClass('secondary')}>
          Search
        </button>
        {params.q && (
          <Link href={`/groups/${group.key}?tab=users`} className={buttonClass('ghost')}>
            Clear
          </Link>
        )}
      </form>
      {page.rows.length === 0 ? (
        <EmptyState title={params.q ? 'No members match this search' : 'No users in this group yet'}>{params.q ? 'Try a shorter search.' : group.can.manage ? 'Add a user by email above.' : null}</EmptyState>
      ) : (
        <MembersTable rows={page.rows} groupKey={group.key} groupName={group.name} canManage={group.can.manage} />
      )}
      <nav aria-label="Pagination" className="mt-4 flex justify-end gap-2 text-sm">
        <PagerLink href={page.previous ? link({ before: page.previous }) : null} rel="prev">
          Previous
        </PagerLink>
        <PagerLink href={page.next ? link({ after: page.next }) : null} rel="next">
          Next
        </PagerLink>
      </nav>
    </Card>
  )
}

