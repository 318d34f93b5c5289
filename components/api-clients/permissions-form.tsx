'use client'

import { FormMessage } from '@/components/forms/form-message'
import { useFormAction, type FormState } from '@/components/forms/use-form-action'
import { Button } from '@/components/ui/button'
import { SubmitButton } from '@/components/ui/submit-button'
import type { GrantedPermission } from '@/lib/authz/model'
import type { PermissionRegistry } from '@/lib/roles/permission-registry'
import { PermissionFields, permissionErrors } from './permission-fields'
import { usePermissionSelection } from './use-permission-selection'

type Props = { clientKey: string; version: number; registry: PermissionRegistry; permissions: GrantedPermission[]; action: (prev: FormState, formData: FormData) => Promise<FormState> }

/** The client's permissions (APIC-5), edited with the organization roles' picker; they apply from its next call. */
export function ApiClientPermissionsForm({ clientKey, version, registry, permissions, action }: Props) {
  const [state, dispatch] = useFormAction(action)
  const selection = usePermissionSelection(registry, permissions)
  return (
    <form action={dispatch} className="space-y-6">
      <input type="hidden" name="clientKey" value={clientKey} />
      <input type="hidden" name="version" value={version} />
      <PermissionFields registry={registry} selection={selection} errors={permissionErrors(state && !state.ok ? state.fieldErrors : undefined)} />
      <FormMessage state={state && !state.ok && !Object.keys(state.fieldErrors ?? {}).some((k) => k.startsWith('permissions')) ? state : null} />
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pendingLabel="Saving…">Save permissions</SubmitButton>
        <Button variant="ghost" onClick={selection.reset}>
          Undo changes
        </Button>
        {selection.incomplete && <span className="text-sm text-red-600">Choose at least one stage for each stage-limited permission.</span>}
      </div>
    </form>
  )
}
