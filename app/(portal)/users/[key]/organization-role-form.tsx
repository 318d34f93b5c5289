'use client'

import { FormMessage } from '@/components/forms/form-message'
import { fieldErrors, useFormAction } from '@/components/forms/use-form-action'
import { Field, Select } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import type { RoleOption } from '@/lib/roles/list-role-options'
import { setOrganizationRoleAction } from '../actions'

export function OrganizationRoleForm({ userKey, roles, current }: { userKey: string; roles: RoleOption[]; current: string }) {
  const [state, action] = useFormAction(setOrganizationRoleAction)
  return (
    <form action={action} className="flex max-w-xl flex-wrap items-end gap-3">
      <input type="hidden" name="userKey" value={userKey} />
      <div className="min-w-64 flex-1">
        <Field label="Organization role" name="roleKey" errors={fieldErrors(state, 'roleKey')}>
          <Select name="roleKey" defaultValue={current} errors={fieldErrors(state, 'roleKey')}>
            <option value="">No role</option>
            {roles.map((r) => (
              <option key={r.key} value={r.key}>
                {r.name}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <SubmitButton variant="secondary" pendingLabel="Saving…" className="mb-6">
        Save role
      </SubmitButton>
      <div className="w-full">
        <FormMessage state={state} />
      </div>
    </form>
  )
}
