'use client'

import { FormMessage } from '@/components/forms/form-message'
import { fieldErrors, submitted, useFormAction, type FormState } from '@/components/forms/use-form-action'
import { Field, TextInput, TextArea } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import { API_CLIENT_NAME_MAX, updateApiClientSchema } from '@/lib/api-clients/schemas'

type Props = { clientKey: string; version: number; name: string; description: string; action: (prev: FormState, formData: FormData) => Promise<FormState> }

/** Name and description: all that editing a client changes (APIC-5); permissions and the secret have their own tabs. */
export function ApiClientDetailsForm({ clientKey, version, name, description, action }: Props) {
  const [state, dispatch] = useFormAction(action, updateApiClientSchema)
  const errors = (n: string) => fieldErrors(state, n)
  return (
    <form action={dispatch} className="max-w-xl space-y-4" noValidate>
      <input type="hidden" name="clientKey" value={clientKey} />
      <input type="hidden" name="version" value={version} />
      <Field label="Name" name="name" errors={errors('name')}>
        <TextInput name="name" defaultValue={submitted(state, 'name') ?? name} required maxLength={API_CLIENT_NAME_MAX} errors={errors('name')} autoComplete="off" />
      </Field>
      <Field label="Description" name="description" errors={errors('description')}>
        <TextArea name="description" rows={3} maxLength={500} defaultValue={submitted(state, 'description') ?? description} errors={errors('description')} />
      </Field>
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      <SubmitButton pendingLabel="Saving…">Save</SubmitButton>
    </form>
  )
}
