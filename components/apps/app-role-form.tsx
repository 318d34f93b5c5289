'use client'

import type { InputHTMLAttributes } from 'react'
import { FormMessage } from '@/components/forms/form-message'
import { fieldErrors, submitted, useFormAction, type FormState } from '@/components/forms/use-form-action'
import { describedBy, Field, inputClass } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import { appRoleFormSchema } from '@/lib/apps/schemas'

type Role = { key: string; version: number; name: string; description: string; isPublic: boolean; claimName: string }

/** An input whose id is unique on the page (several role forms share one page) while its name is the field's. */
function RoleInput({ fieldId, errors, hint, ...props }: InputHTMLAttributes<HTMLInputElement> & { fieldId: string; errors?: string[]; hint?: boolean }) {
  return <input id={fieldId} aria-invalid={errors?.length ? true : undefined} aria-describedby={describedBy(fieldId, errors, hint)} className={inputClass} {...props} />
}

/** Creates a role (no `role`) or edits one. The browser checks the fields with the server's rules first. */
export function AppRoleForm({ appKey, role, action }: { appKey: string; role?: Role; action: (prev: FormState, formData: FormData) => Promise<FormState> }) {
  const [state, formAction] = useFormAction(action, appRoleFormSchema)
  const id = role ? `role-${role.key}` : 'new-role'
  const errors = (n: string) => fieldErrors(state, n)
  const value = (n: 'name' | 'description' | 'claimName') => submitted(state, n) ?? role?.[n] ?? ''
  const isPublic = state && !state.ok ? submitted(state, 'isPublic') !== undefined : (role?.isPublic ?? false)
  return (
    <form action={formAction} className="grid gap-x-4 sm:grid-cols-2">
      <input type="hidden" name="appKey" value={appKey} />
      {role && <input type="hidden" name="roleKey" value={role.key} />}
      {role && <input type="hidden" name="version" value={role.version} />}
      <Field label="Name" name={`${id}-name`} errors={errors('name')}>
        <RoleInput fieldId={`${id}-name`} name="name" defaultValue={value('name')} required maxLength={100} errors={errors('name')} />
      </Field>
      <Field label="Claim name" name={`${id}-claimName`} errors={errors('claimName')} hint="Letters, digits, “_”, “-” and “.”. Leave empty to derive it from the name.">
        <RoleInput fieldId={`${id}-claimName`} name="claimName" defaultValue={value('claimName')} maxLength={100} errors={errors('claimName')} hint />
      </Field>
      <div className="sm:col-span-2">
        <Field label="Description" name={`${id}-description`} errors={errors('description')}>
          <RoleInput fieldId={`${id}-description`} name="description" defaultValue={value('description')} maxLength={1000} errors={errors('description')} />
        </Field>
      </div>
      <label className="mb-4 flex items-center gap-2 text-sm sm:col-span-2">
        <input type="checkbox" name="isPublic" defaultChecked={isPublic} className="size-4" />
        Public role
      </label>
      <div className="flex items-center gap-3 sm:col-span-2">
        <SubmitButton variant={role ? 'secondary' : 'primary'} pendingLabel="Saving…">
          {role ? 'Save role' : 'Create role'}
        </SubmitButton>
        <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      </div>
    </form>
  )
}
