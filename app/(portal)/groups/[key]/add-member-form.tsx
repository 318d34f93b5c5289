'use client'

import { FormMessage } from '@/components/forms/form-message'
import { fieldErrors, submitted, useFormAction } from '@/components/forms/use-form-action'
import { Field, TextInput } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import { addGroupMemberAction } from '../actions'

export function AddMemberForm({ groupKey }: { groupKey: string }) {
  const [state, action] = useFormAction(addGroupMemberAction)
  const errors = fieldErrors(state, 'email')
  return (
    <form action={action} className="flex max-w-xl flex-wrap items-end gap-3">
      <input type="hidden" name="groupKey" value={groupKey} />
      <div className="min-w-64 flex-1">
        <Field label="Add a user by email" name="email" errors={errors}>
          <TextInput name="email" type="email" required maxLength={254} defaultValue={submitted(state, 'email')} errors={errors} placeholder="name@example.com" />
        </Field>
      </div>
      <SubmitButton variant="secondary" pendingLabel="Adding…" className="mb-6">
        Add user
      </SubmitButton>
      <div className="w-full">
        <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      </div>
    </form>
  )
}
