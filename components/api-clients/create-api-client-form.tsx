'use client'

import Link from 'next/link'
import { FormMessage } from '@/components/forms/form-message'
import { fieldErrors, submitted, useFormAction, type FormState } from '@/components/forms/use-form-action'
import { buttonClass } from '@/components/ui/button'
import { Field, TextInput, TextArea } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import type { ExpiryBounds } from '@/lib/api-clients/expiry'
import { API_CLIENT_NAME_MAX } from '@/lib/api-clients/schemas'
import type { PermissionRegistry } from '@/lib/roles/permission-registry'
import { ExpiryFields } from './expiry-fields'
import { PermissionFields, permissionErrors } from './permission-fields'
import { SecretReveal } from './secret-reveal'
import { usePermissionSelection } from './use-permission-selection'

type Revealed = { clientKey: string; clientId: string; clientSecret: string; expiresAt: string }

/**
 * New API client (UI-9): name, description, secret expiry and reminder, permissions. On success the
 * form gives way to the client id and secret, shown once.
 */
export function CreateApiClientForm({ registry, expiry, action }: { registry: PermissionRegistry; expiry: ExpiryBounds; action: (prev: FormState, formData: FormData) => Promise<FormState> }) {
  const [state, dispatch] = useFormAction(action)
  const selection = usePermissionSelection(registry, [])
  const errors = (name: string) => fieldErrors(state, name)

  if (state?.ok && state.data) {
    const created = state.data as Revealed
    return (
      <SecretReveal clientId={created.clientId} clientSecret={created.clientSecret} expiresAt={created.expiresAt}>
        <div className="flex flex-wrap gap-2">
          <Link href={`/api-clients/${created.clientKey}`} className={buttonClass('primary')}>
            I have stored the secret — open the client
          </Link>
          <Link href="/api-clients" className={buttonClass('secondary')}>
            Back to API clients
          </Link>
        </div>
      </SecretReveal>
    )
  }

  return (
    <form action={dispatch} className="space-y-6" noValidate>
      <div className="grid max-w-2xl gap-4">
        <Field label="Name" name="name" errors={errors('name')}>
          <TextInput name="name" defaultValue={submitted(state, 'name')} required maxLength={API_CLIENT_NAME_MAX} errors={errors('name')} autoComplete="off" />
        </Field>
        <Field label="Description" name="description" errors={errors('description')}>
          <TextArea name="description" rows={2} maxLength={500} defaultValue={submitted(state, 'description')} errors={errors('description')} />
        </Field>
        <ExpiryFields expiry={expiry} errors={errors} defaultDate={submitted(state, 'expiresOn')} defaultRemind={submitted(state, 'remind') !== 'false'} />
      </div>
      <div>
        <h2 className="mb-1 text-sm font-semibold">Permissions</h2>
        <PermissionFields registry={registry} selection={selection} errors={permissionErrors(state && !state.ok ? state.fieldErrors : undefined)} />
      </div>
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      {state && !state.ok && state.fieldErrors && <p className="text-sm text-red-600 dark:text-red-400">{state.error}</p>}
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pendingLabel="Creating…">Create API client</SubmitButton>
        {selection.incomplete && <span className="text-sm text-red-600">Choose at least one stage for each stage-limited permission.</span>}
      </div>
    </form>
  )
}
