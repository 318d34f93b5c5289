import { ApiClientDetailsForm } from '@/components/api-clients/details-form'
import { ConfirmAction } from '@/components/forms/confirm-action'
import { CopyUrl } from '@/components/settings/copy-url'
import { Card } from '@/components/ui/card'
import type { ApiClientDetail } from '@/lib/api-clients/get-api-client'
import { deleteApiClientAction, resumeApiClientAction, suspendApiClientAction, updateApiClientAction } from '../actions'

const fmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })

/** Details: name and description, the client id, suspend or resume (APIC-8), delete (APIC-9). */
export function DetailsTab({ client }: { client: ApiClientDetail }) {
  const fields = { clientKey: client.key }
  const suspended = client.suspendedAt !== null
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <Card title="Details" className="lg:col-span-2">
        <ApiClientDetailsForm clientKey={client.key} version={client.version} name={client.name} description={client.description} action={updateApiClientAction} />
      </Card>
      <div className="space-y-6">
        <Card title="Identity">
          <div className="space-y-3">
            <CopyUrl label="Client id" url={client.clientId} />
            <dl className="grid grid-cols-[6rem_1fr] gap-y-1 text-sm">
              <dt className="text-slate-500">Created</dt>
              <dd>{fmt.format(client.createdAt)} UTC</dd>
              <dt className="text-slate-500">Changed</dt>
              <dd>{fmt.format(client.updatedAt)} UTC</dd>
            </dl>
          </div>
        </Card>
        <Card title={suspended ? 'Resume' : 'Suspend'}>
          <p className="mb-3 text-sm text-slate-600 dark:text-slate-300">
            {suspended ? 'Resuming lets its secret (if not expired) and its unexpired tokens work again.' : 'Suspending stops its secret and every token it holds at once, until it is resumed.'}
          </p>
          {suspended ? (
            <ConfirmAction action={resumeApiClientAction} fields={fields} label="Resume" title={`Resume ${client.name}?`} description="Its secret, if not expired, and its unexpired access tokens work again from the next call." confirmLabel="Resume" />
          ) : (
            <ConfirmAction
              action={suspendApiClientAction}
              fields={fields}
              label="Suspend"
              variant="danger"
              title={`Suspend ${client.name}?`}
              description="Every call it makes is refused from now on: its secret and the access tokens it holds stop working at once. You can resume it later."
              confirmLabel="Suspend"
            />
          )}
        </Card>
        <Card title="Delete">
          <p className="mb-3 text-sm text-slate-600 dark:text-slate-300">Deleting removes the client, its secret and its permissions.</p>
          <ConfirmAction
            action={deleteApiClientAction}
            fields={fields}
            label="Delete API client"
            variant="danger"
            title={`Delete ${client.name}?`}
            description={
              <div className="space-y-2">
                <p>
                  Its secret and every token it holds stop working at once, and the {client.permissions.length} {client.permissions.length === 1 ? 'permission' : 'permissions'} it holds go with it.
                </p>
                <p>This cannot be undone; the audit trail records the deletion.</p>
              </div>
            }
            confirmLabel="Delete API client"
          />
        </Card>
      </div>
    </div>
  )
}
