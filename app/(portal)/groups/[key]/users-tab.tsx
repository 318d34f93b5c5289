import { Pager } from '@/components/data-table/pager'
import { SearchForm } from '@/components/data-table/search-form'
import { first } from '@/components/data-table/search-params'
import { Card, EmptyState } from '@/components/ui/card'
import type { Ctx } from '@/lib/context'
import type { GroupDetail } from '@/lib/groups/get-group'
import { listGroupMembers } from '@/lib/groups/list-group-members'
import { listGroupMembersSchema } from '@/lib/groups/schemas'
import { loadPage } from '@/lib/page-guard'
import { AddMemberForm } from './add-member-form'
import { MembersTable } from './members-table'

/** The Users tab: keyset pages of members with search, add by email, remove Assigned members. */
export async function UsersTab({ group, raw, ctx }: { group: GroupDetail; raw: Record<string, string | string[] | undefined>; ctx: Ctx }) {
  const input = { groupKey: group.key, q: first(raw.q), after: first(raw.after), before: first(raw.before), perPage: first(raw.perPage) }
  const params = listGroupMembersSchema.parse(input)
  const page = await loadPage(() => listGroupMembers(ctx, input))
  return (
    <Card title="Users" description="Assigned members were added here or through the API. Mapped members come from an identity provider’s claim mapping at sign-in and can only be removed by changing that mapping.">
      {group.can.manage && (
        <div className="mb-4">
          <AddMemberForm groupKey={group.key} />
        </div>
      )}
      <SearchForm action={`/groups/${group.key}`} clearHref={`/groups/${group.key}?tab=users`} q={params.q} filtered={Boolean(params.q)} label="Search members" placeholder="Name or email contains…">
        <input type="hidden" name="tab" value="users" />
      </SearchForm>
      {page.rows.length === 0 ? (
        <EmptyState title={params.q ? 'No members match this search' : 'No users in this group yet'}>{params.q ? 'Try a shorter search.' : group.can.manage ? 'Add a user by email above.' : null}</EmptyState>
      ) : (
        <MembersTable rows={page.rows} groupKey={group.key} groupName={group.name} canManage={group.can.manage} />
      )}
      <Pager path={`/groups/${group.key}`} params={{ tab: 'users', q: params.q }} page={page} />
    </Card>
  )
}

