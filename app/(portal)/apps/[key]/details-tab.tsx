import { AppDetailsForm } from '@/components/apps/app-details-form'
import { ImpactConfirm } from '@/components/apps/impact-confirm'
import { Card } from '@/components/ui/card'
import type { AppDetail } from '@/lib/apps/get-app'
import { deleteAppAction, previewAppDeletionAction, previewAppStagesAction, updateAppAction } from '../actions'

const fmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })

export function DetailsTab({ app }: { app: AppDetail }) {
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <Card title="Details" className="lg:col-span-2">
        {app.can.change ? (
          <AppDetailsForm app={{ key: app.key, version: app.version, name: app.name, description: app.description, stages: app.stages }} action={updateAppAction} preview={previewAppStagesAction.bind(null, app.key)} />
        ) : (
          <dl className="grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
            <dt className="text-slate-500">Name</dt>
            <dd>{app.name}</dd>
            <dt className="text-slate-500">Description</dt>
            <dd>{app.description || '—'}</dd>
            <dt className="text-slate-500">Deployed to</dt>
            <dd>{app.stages.filter((s) => s.deployed).map((s) => s.name).join(', ') || 'No stage'}</dd>
          </dl>
        )}
      </Card>
      <Card title="About">
        <dl className="grid grid-cols-[6rem_1fr] gap-y-2 text-sm">
          <dt className="text-slate-500">Key</dt>
          <dd>
            <code className="text-xs break-all">{app.key}</code>
          </dd>
          <dt className="text-slate-500">Created</dt>
          <dd>{fmt.format(app.createdAt)} UTC</dd>
          <dt className="text-slate-500">Updated</dt>
          <dd>{fmt.format(app.updatedAt)} UTC</dd>
        </dl>
        {app.can.delete && (
          <div className="mt-6 border-t border-slate-200 pt-4 dark:border-slate-800">
            <ImpactConfirm
              kind="app"
              preview={previewAppDeletionAction.bind(null, app.key)}
              action={deleteAppAction}
              fields={{ appKey: app.key, version: String(app.version) }}
              label="Delete app"
              title={`Delete “${app.name}” permanently?`}
              confirmLabel="Delete app"
            />
          </div>
        )}
      </Card>
    </div>
  )
}
