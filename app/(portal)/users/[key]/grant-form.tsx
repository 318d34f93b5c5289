'use client'

import { useId, useState } from 'react'
import { ConfirmLosses } from '@/components/forms/confirm-losses'
import { FormMessage } from '@/components/forms/form-message'
import { fieldErrors, submitted, useFormAction } from '@/components/forms/use-form-action'
import { inputClass } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import type { GrantableRole } from '@/lib/access/grant-options'
import { setRoleGrantAction } from '../actions'

/** datetime-local wants "YYYY-MM-DDTHH:mm" with no zone; grant periods are entered in UTC. */
const toLocalInput = (d: Date | null) => (d ? d.toISOString().slice(0, 16) : '')

type Props = {
  userKey: string
  roles: GrantableRole[]
  /** The app for an app-scope grant; absent for the organization-scope grant. */
  app?: { key: string; name: string }
  /** Apps to choose from when adding a new app-scope grant. */
  appChoices?: Array<{ key: string; name: string }>
  current?: { roleKey: string; startsAt: Date | null; endsAt: Date | null }
}

/**
 * One role grant at one scope, with its optional period (ROLE-4). At app scope it warns about the
 * chosen role's organization-only permissions, which have no effect there (AUTHZ-2).
 */
export function GrantForm({ userKey, roles, app, appChoices, current }: Props) {
  const [state, action] = useFormAction(setRoleGrantAction)
  const id = useId()
  const atApp = Boolean(app || appChoices)
  const [roleKey, setRoleKey] = useState(submitted(state, 'roleKey') ?? current?.roleKey ?? '')
  const ignored = atApp ? (roles.find((r) => r.key === roleKey)?.organizationOnly ?? []) : []
  const err = (name: string) => fieldErrors(state, name)
  const errorText = (name: string) =>
    err(name)?.length ? (
      <p id={`${id}-${name}-error`} className="text-sm text-red-600 dark:text-red-400">
        {err(name)!.join(' ')}
      </p>
    ) : null
  const described = (name: string) => (err(name)?.length ? `${id}-${name}-error` : undefined)
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="userKey" value={userKey} />
      <input type="hidden" name="returnTab" value="organization" />
      {app && <input type="hidden" name="appKey" value={app.key} />}
      <div className="grid items-end gap-3 sm:grid-cols-[repeat(4,minmax(0,1fr))_auto]">
        {appChoices && (
          <div className="space-y-1">
            <label htmlFor={`${id}-app`} className="block text-sm font-medium">
              App
            </label>
            <select key={submitted(state, 'appKey') ?? ''} id={`${id}-app`} name="appKey" required className={inputClass} defaultValue={submitted(state, 'appKey') ?? ''} aria-describedby={described('appKey')}>
              <option value="" disabled>
                Choose an app…
              </option>
              {appChoices.map((a) => (
                <option key={a.key} value={a.key}>
                  {a.name}
                </option>
              ))}
            </select>
            {errorText('appKey')}
          </div>
        )}
        {app && <p className="self-center text-sm font-medium">{app.name}</p>}
        <div className="space-y-1">
          <label htmlFor={`${id}-role`} className="block text-sm font-medium">
            {app ? `Role for ${app.name}` : atApp ? 'Role for this app' : 'Organization role'}
          </label>
          <select id={`${id}-role`} name="roleKey" value={roleKey} onChange={(e) => setRoleKey(e.target.value)} className={inputClass} aria-describedby={described('roleKey')}>
            <option value="">{atApp ? (appChoices ? 'Choose a role…' : 'No role (remove)') : 'No role'}</option>
            {roles.map((r) => (
              <option key={r.key} value={r.key}>
                {r.name}
              </option>
            ))}
          </select>
          {errorText('roleKey')}
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-start`} className="block text-sm font-medium">
            From (UTC, optional)
          </label>
          <input id={`${id}-start`} type="datetime-local" name="startsAt" defaultValue={submitted(state, 'startsAt') ?? toLocalInput(current?.startsAt ?? null)} className={inputClass} aria-describedby={described('startsAt')} />
          {errorText('startsAt')}
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-end`} className="block text-sm font-medium">
            Until (UTC, optional)
          </label>
          <input id={`${id}-end`} type="datetime-local" name="endsAt" defaultValue={submitted(state, 'endsAt') ?? toLocalInput(current?.endsAt ?? null)} className={inputClass} aria-describedby={described('endsAt')} />
          {errorText('endsAt')}
        </div>
        <SubmitButton variant="secondary" pendingLabel="Saving…">
          {appChoices ? 'Add app role' : 'Save'}
        </SubmitButton>
      </div>
      {ignored.length > 0 && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-900/30 dark:text-amber-100" role="note">
          In an app role, these permissions of the role have no effect, because they only work at organization scope: {ignored.join(', ')}.
        </p>
      )}
      <ConfirmLosses state={state} label="Save and take this access away" />
      {!fieldErrors(state, 'confirm') && <FormMessage state={state} />}
    </form>
  )
}
