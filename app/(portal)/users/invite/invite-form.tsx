'use client'

import Link from 'next/link'
import { FormMessage } from '@/components/forms/form-message'
import { fieldErrors, submitted, useFormAction } from '@/components/forms/use-form-action'
import { buttonClass } from '@/components/ui/button'
import { Field, Select, TextInput } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import type { InviteOptions } from '@/lib/users/invite-options'
import { inviteUserAction } from '../actions'

function Choices({ legend, name, items, errors }: { legend: string; name: string; items: Array<{ key: string; label: string }>; errors?: string[] }) {
  return (
    <fieldset className="space-y-1" aria-describedby={errors?.length ? `${name}-error` : undefined}>
      <legend className="text-sm font-medium">{legend}</legend>
      <div className="max-h-48 space-y-1 overflow-y-auto rounded-md border border-slate-200 p-2 dark:border-slate-700">
        {items.map((i) => (
          <label key={i.key} className="flex items-center gap-2 text-sm">
            <input type="checkbox" name={name} value={i.key} className="h-4 w-4 accent-brand-600" />
            {i.label}
          </label>
        ))}
      </div>
      <div id={`${name}-error`} aria-live="polite" className="text-sm text-red-600 dark:text-red-400">
        {errors?.map((e) => <p key={e}>{e}</p>)}
      </div>
    </fieldset>
  )
}

/**
 * Invite a member (organization role), an end-user (groups and application roles), or someone
 * who is both. Only what the inviter may grant is offered; the server checks each choice again.
 */
export function InviteForm({ options }: { options: InviteOptions }) {
  const [state, action] = useFormAction(inviteUserAction)
  const errors = (n: string) => fieldErrors(state, n)
  const developer = options.roles.find((r) => r.name === 'Developer')
  const endUsers = options.groups.length > 0 || options.endUserRoles.length > 0
  return (
    <form action={action} className="space-y-4">
      <Field label="Email" name="email" errors={errors('email')}>
        <TextInput name="email" defaultValue={submitted(state, 'email')} type="email" required maxLength={254} autoFocus errors={errors('email')} />
      </Field>
      <Field label="Name (optional)" name="name" errors={errors('name')} hint="They can change it when they accept.">
        <TextInput name="name" defaultValue={submitted(state, 'name')} maxLength={120} errors={errors('name')} hint />
      </Field>
      {options.roles.length > 0 && (
        <Field label="Organization role" name="roleKey" errors={errors('roleKey')} hint={endUsers ? 'Choose “No organization role” to invite an end-user only.' : undefined}>
          <Select name="roleKey" defaultValue={submitted(state, 'roleKey') ?? developer?.key ?? ''} errors={errors('roleKey')} hint={endUsers} required={!endUsers}>
            <option value="" disabled={!endUsers}>
              {endUsers ? 'No organization role (end-user only)' : 'Choose a role…'}
            </option>
            {options.roles.map((r) => (
              <option key={r.key} value={r.key}>
                {r.name}
                {r.isReadOnly ? ' (built-in)' : ''}
              </option>
            ))}
          </Select>
        </Field>
      )}
      {options.roles.length === 0 && errors('roleKey') && <p className="text-sm text-red-600 dark:text-red-400">{errors('roleKey')!.join(' ')}</p>}
      {options.groups.length > 0 && <Choices legend="End-user groups" name="groupKeys" items={options.groups} errors={errors('groupKeys')} />}
      {options.endUserRoles.length > 0 && <Choices legend="End-user roles" name="instanceKeys" items={options.endUserRoles} errors={errors('instanceKeys')} />}
      {options.truncated && <p className="text-xs text-slate-500">Only the first groups and roles are listed; grant others on the user’s page after inviting.</p>}
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
