'use client'

import { FormMessage } from '@/components/forms/form-message'
import { fieldErrors, useFormAction } from '@/components/forms/use-form-action'
import { Field, Select } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import { setUserGroupMembershipAction } from '../actions'

export function AddToGroupForm({ userKey, groups }: { userKey: string; groups: Array<{ key: string; label: string }> }) {
  const [state, action] = useFormAction(setUserGroupMembershipAction)
  return (
    <form action={action} className="flex max-w-xl flex-wrap items-end gap-3">
      <input type="hidden" name="userKey" value={userKey} />
      <input type="hidden" name="member" value="true" />
      <div className="min-w-64 flex-1">
        <Field label="Group" name="groupKey" errors={fieldErrors(state, 'groupKey')}>
          <Select name="groupKey" required defaultValue="" errors={fieldErrors(state, 'groupKey')}>
            <option value="" disabled>
              Choose a group…
            </option>
            {groups.map((g) => (
              <option key={g.key} value={g.key}>
                {g.label}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <SubmitButton variant="secondary" pendingLabel="Adding…" className="mb-6">
        Add to group
      </SubmitButton>
      <div className="w-full">
        <FormMessage state={state} />
      </div>
    </form>
  )
}
