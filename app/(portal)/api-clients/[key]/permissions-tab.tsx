import { ApiClientPermissionsForm } from '@/components/api-clients/permissions-form'
import { Card } from '@/components/ui/card'
import type { ApiClientDetail } from '@/lib/api-clients/get-api-client'
import { setApiClientPermissionsAction } from '../actions'

/** Permissions (APIC-5): the same registry and stage limits as organization roles, applied from the client's next call. */
export function PermissionsTab({ client }: { client: ApiClientDetail }) {
  return (
    <Card title="Permissions" description="Changes apply from the client’s next API call, whatever tokens it already holds.">
      <ApiClientPermissionsForm clientKey={client.key} version={client.version} registry={client.registry} permissions={client.permissions} action={setApiClientPermissionsAction} />
    </Card>
  )
}
