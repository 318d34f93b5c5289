'use client'

import { PermissionPicker } from '@/components/roles/permission-picker'
import { Alert } from '@/components/ui/alert'
import type { PermissionRegistry } from '@/lib/roles/permission-registry'
import type { PermissionSelection } from './use-permission-selection'

/**
 * The permission picker of organization roles (stage limits, inherited permissions) for an API
 * client, sending the selection as one JSON field named `permissions`.
 */
export function PermissionFields({ registry, selection, errors, readOnly = false }: { registry: PermissionRegistry; selection: PermissionSelection; errors: string[]; readOnly?: boolean }) {
  return (
    <div>
      <input type="hidden" name="permissions" value={JSON.stringify(selection.saved)} />
      <p className="mb-3 text-sm text-slate-500 dark:text-slate-400">
        The client can do exactly this through the API, in every app. Choosing a permission includes the ones it implies; permissions marked with stages can be limited to some. A client without permissions can call nothing and shows as <em>Needs attention</em>.
      </p>
      {errors.length > 0 && (
        <div className="mb-3">
          <Alert tone="error">{errors.join(' ')}</Alert>
        </div>
      )}
      <PermissionPicker registry={registry} selection={selection.selection} implied={selection.implied} readOnly={readOnly} onChange={selection.change} />
    </div>
  )
}

/** Errors about one grant come back as "permissions.3.stageKeys"; they are shown together. */
export const permissionErrors = (fieldErrors: Record<string, string[]> | undefined): string[] =>
  Object.entries(fieldErrors ?? {}).flatMap(([k, v]) => (k === 'permissions' || k.startsWith('permissions.') ? v : []))
