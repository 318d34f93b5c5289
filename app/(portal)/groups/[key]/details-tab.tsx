import { ConfirmAction } from '@/components/forms/confirm-action'
import { RoleLosses } from '@/components/groups/role-losses'
import { Card } from '@/components/ui/card'
import type { Ctx } from '@/lib/context'
import { previewGroupDeletion } from '@/lib/groups/delete-group'
import type { GroupDetail } from '@/lib/groups/get-group'
import { loadPage } from '@/lib/page-guard'
import { deleteGroupAction } from '../actions'
import { GroupDetailsForm } from './details-form'

/** The Details tab: rename and describe; delete after seeing who loses which roles (GRP-3). */
export async function DetailsTab({ group, ctx }: { group: GroupDetail; ctx: Ctx }) {
  if (!group.can.manage)
    return (
      <Card title="Details">
        <dl className="grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
          <dt className="text-slate-500">Stage</dt>
          <dd>{group.stage.name}</dd>
          <dt className="text-slate-500">Key</dt>
          <dd>
            <code className="text-xs">{group.key}</code>
          </dd>
        </dl>
        <p className="mt-4 text-sm text-slate-500">You can see this group but not change it.</p>
      </Card>
    )
  const impact = await loadPage(() => previewGroupDeletion(ctx, { groupKey: group.key }))
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <Card title="Details" description={`Stage: ${group.stage.name} (${group.stage.code}), fixed at creation. Key: ${group.key}`} className="lg:col-span-2">
        <GroupDetailsForm groupKey={group.key} version={group.version} name={group.name} description={group.description} />
      </Card>
      <Card title="Delete group">
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-300">
          {impact.members.toLocaleString('en')} {impact.members === 1 ? 'user is' : 'users are'} in this group; it grants {impact.roles.length} {impact.roles.length === 1 ? 'role' : 'roles'}.
        </p>
        <ConfirmAction
          action={deleteGroupAction}
          fields={{ groupKey: group.key, version: String(group.version) }}
          label="Delete group"
          variant="danger"
          title={`Delete ${group.name}?`}
          description={
            <div className="space-y-3">
              <p>Its memberships and role grants are removed. Users keep roles they hold directly or through another group.</p>
              <RoleLosses losses={impact.roles} usersLosingAccess={impact.usersLosingAccess} firstUsers={impact.firstUsers} />
              <p>This cannot be undone; the audit trail records the deletion with these counts.</p>
            </div>
          }
          confirmLabel="Delete group"
        />
      </Card>
    </div>
  )
}
