'use client'

import Link from 'next/link'
import { FormMessage } from '@/components/forms/form-message'
import { fieldErrors, submitted, useFormAction } from '@/components/forms/use-form-action'
import { buttonClass } from '@/components/ui/button'
import { Field, Select, TextInput } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import type { RoleOption } from '@/lib/roles/list-role-options'
import { inviteMemberAction } from '../actions'

export function InviteForm({ roles }: { roles: RoleOption[] }) {
  const [state, action] = useFormAction(inviteMemberAction)
  const errors = (n: string) => fieldErrors(state, n)
  const developer = roles.find((r) => r.name === 'Developer')
  return (
    <form action={action} className="space-y-4">
      <Field label="Email" name="email" errors={errors('email')}>
        <TextInput name="email" defaultValue={submitted(state, 'email')} type="email" required maxLength={254} autoFocus errors={errors('email')} />
      </Field>
      <Field label="Name (optional)" name="name" errors={errors('name')} hint="They can change it when they accept.">
        <TextInput name="name" defaultValue={submitted(state, 'name')} maxLength={120} errors={errors('name')} hint />
      </Field>
      <Field label="Organization role" name="roleKey" errors={errors('roleKey')}>
        <Select name="roleKey" defaultValue={submitted(state, 'roleKey') ?? developer?.key ?? ''} errors={errors('roleKey')} required>
          <option value="" disabled>
            Choose a role…
          </option>
          {roles.map((r) => (
            <option key={r.key} value={r.key}>
              {r.name}
              {r.isReadOnly ? ' (built-in)' : ''}
            </option>
          ))}
        </Select>
      </Field>
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      <div className="flex gap-2">
        <SubmitButton pendingLabel="Sending…">Send invitation</SubmitButton>
        <Link href="/users" className={buttonClass('ghost')}>
          Cancel
        </Link>
      </div>
    </form>
  )
}
