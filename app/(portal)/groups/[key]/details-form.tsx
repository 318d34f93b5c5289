'use client'

import { FormMessage } from '@/components/forms/form-message'
import { fieldErrors, submitted, useFormAction } from '@/components/forms/use-form-action'
import { Field, TextInput, TextArea } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import { updateGroupSchema } from '@/lib/groups/schemas'
import { updateGroupAction } from '../actions'

export function GroupDetailsForm({ groupKey, version, name, description }: { groupKey: string; version: number; name: string; description: string }) {
  const [state, action] = useFormAction(updateGroupAction, updateGroupSchema)
  const errors = (n: string) => fieldErrors(state, n)
  return (
    <form action={action} className="max-w-xl space-y-4" noValidate>
      <input type="hidden" name="groupKey" value={groupKey} />
      <input type="hidden" name="version" value={version} />
      <Field label="Name" name="name" errors={errors('name')}>
        <TextInput name="name" defaultValue={submitted(state, 'name') ?? name} required maxLength={100} errors={errors('name')} />
      </Field>
      <Field label="Description" name="description" errors={errors('description')}>
        <TextArea name="description" rows={3} maxLength={500} defaultValue={submitted(state, 'description') ?? description} errors={errors('description')} />
      </Field>
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      <SubmitButton pendingLabel="Saving…">Save</SubmitButton>
    </form>
  )
}
