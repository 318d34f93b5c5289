import { AppRoleForm } from '@/components/apps/app-role-form'
import { ImpactConfirm } from '@/components/apps/impact-confirm'
import { Badge } from '@/components/ui/badge'
import { Card, EmptyState } from '@/components/ui/card'
import type { AppDetail } from '@/lib/apps/get-app'
import { createAppRoleAction, deleteAppRoleAction, previewAppRoleDeletionAction, updateAppRoleAction } from '../actions'

/** The app's end-user roles (APP-2): one definition, one instance (own key) per deployed stage. */
export function RolesTab({ app }: { app: AppDetail }) {
  return (
    <div className="space-y-6">
      <Card title="End-user roles" description="Each role exists once in every stage the app is deployed to. The instances share the role's external key and each has its own key.">
        {app.roles.length === 0 ? (
          <EmptyState title="No end-user roles yet">{app.can.change ? 'Create the first role below.' : 'Nobody has defined roles for this app.'}</EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-300">
                <tr>
                  <th scope="col" className="px-3 py-2">Name</th>
                  <th scope="col" className="px-3 py-2">Claim name</th>
                  <th scope="col" className="px-3 py-2">Public</th>
                  <th scope="col" className="px-3 py-2">Keys</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {app.roles.map((r) => (
                  <tr key={r.key} className="align-top">
                    <td className="px-3 py-2">
                      <p className="font-medium">{r.name}</p>
                      {r.description && <p className="text-slate-500">{r.description}</p>}
                      {app.can.change && (
                        <details className="mt-2">
                          <summary className="cursor-pointer text-brand-700 dark:text-brand-100">Edit or delete</summary>
                          <div className="mt-3 space-y-4 rounded-md border border-slate-200 p-4 dark:border-slate-800">
                            <AppRoleForm appKey={app.key} role={r} action={updateAppRoleAction} />
                            <ImpactConfirm
                              kind="role"
                              preview={previewAppRoleDeletionAction.bind(null, r.key)}
                              action={deleteAppRoleAction}
                              fields={{ roleKey: r.key, version: String(r.version), appKey: app.key }}
                              label="Delete role"
                              title={`Delete the role “${r.name}”?`}
                              confirmLabel="Delete role"
                            />
                          </div>
                        </details>
                      )}
                    </td>
                    <td className="px-3 py-2">
                      <code className="text-xs">{r.claimName}</code>
                    </td>
                    <td className="px-3 py-2">{r.isPublic ? <Badge tone="blue">Public</Badge> : 'No'}</td>
                    <td className="px-3 py-2">
                      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
                        <dt className="text-slate-500">External</dt>
                        <dd>
                          <code>{r.key}</code>
                        </dd>
                        {r.instances.map((i) => (
                          <div key={i.key} className="contents">
                            <dt className="text-slate-500">{i.stageCode}</dt>
                            <dd>
                              <code>{i.key}</code>
                            </dd>
                          </div>
                        ))}
                      </dl>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      {app.can.change && (
        <Card title="Create a role" description="It is created in every stage the app is deployed to.">
          <AppRoleForm appKey={app.key} action={createAppRoleAction} />
        </Card>
      )}
    </div>
  )
}
