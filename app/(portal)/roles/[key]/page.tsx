import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { first, type SearchParams } from '@/components/data-table/search-params'
import { ConfirmAction } from '@/components/forms/confirm-action'
import { ImpactList } from '@/components/roles/impact-list'
import { RoleEditor } from '@/components/roles/role-editor'
import { NoticeAlert } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Card, PageHeader } from '@/components/ui/card'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { getRole } from '@/lib/roles/get-role'
import { listRoleHolders } from '@/lib/roles/list-role-holders'
import { uuidSchema } from '@/lib/validation'
import { deleteRoleAction, duplicateRoleAction, previewRoleChangeAction, updateRoleAction } from '../actions'
import { roleNotices } from '../notices'
import { RoleHolders } from './role-holders'

export const metadata: Metadata = { title: 'Organization role' }

export default async function RolePage({ params, searchParams }: { params: Promise<{ key: string }>; searchParams: SearchParams }) {
  const { key } = await params
  if (!uuidSchema.safeParse(key).success) notFound()
  const raw = await searchParams
  const notice = first(raw.notice)
  const ctx = await requireMemberContext()
  const [role, holders] = await loadPage(() => Promise.all([getRole(ctx, { roleKey: key }), listRoleHolders(ctx, { roleKey: key, after: first(raw.after), before: first(raw.before) })]))
  const fields = { roleKey: role.key, version: String(role.version) }
  const deletion = role.deletion
  const editable = { key: role.key, name: role.name, description: role.description, version: role.version, permissions: role.permissions }
  return (
    <>
      <PageHeader
        title={role.name}
        description={role.description || undefined}
        actions={
          <>
            {role.can.duplicate && (
              <ConfirmAction
                action={duplicateRoleAction}
                fields={{ roleKey: role.key }}
                label="Duplicate"
                title={`Duplicate ${role.name}?`}
                description={`A new custom role, “Copy of ${role.name}”, gets the same permissions and stage limits. Nobody holds it until you assign it.`}
                confirmLabel="Duplicate"
              />
            )}
            {role.can.delete && deletion && (
              <ConfirmAction
                action={deleteRoleAction}
                fields={fields}
                label="Delete role"
                variant="danger"
                title={`Delete ${role.name}?`}
                description={
                  deletion.holders.total === 0 ? (
                    'Nobody holds this role. It is removed for good.'
                  ) : (
                    <div className="space-y-2">
                      <p>
                        Its {deletion.holders.total.toLocaleString('en')} {deletion.holders.total === 1 ? 'holder loses' : 'holders lose'} it at once, and with it:
                      </p>
                      <ImpactList impact={deletion} />
                      <p>This cannot be undone.</p>
                    </div>
                  )
                }
                confirmLabel="Delete role"
              />
            )}
          </>
        }
      />
      <NoticeAlert notices={roleNotices} notice={notice} />
      <div className="mb-4 flex flex-wrap gap-2">
        {role.isReadOnly ? <Badge>Built-in · read-only</Badge> : <Badge tone="blue">Custom role</Badge>}
        <Badge>
          {role.holders.total.toLocaleString('en')} {role.holders.total === 1 ? 'user' : 'users'}
        </Badge>
      </div>
      <Card title={role.can.edit ? 'Edit role' : 'Permissions'} description={role.isReadOnly ? 'Built-in roles cannot be changed. Duplicate this one to make a custom role.' : undefined}>
        {role.can.edit ? (
          <RoleEditor registry={role.registry} role={editable} saveAction={updateRoleAction} previewAction={previewRoleChangeAction} />
        ) : (
          <RoleEditor registry={role.registry} role={editable} readOnly />
        )}
      </Card>
      <section id="holders" className="mt-6">
        <Card title="Users with this role" description="Every grant of this role, at organization scope or for one app, with its grant period.">
          <RoleHolders roleKey={role.key} page={holders} />
        </Card>
      </section>
    </>
  )
}
