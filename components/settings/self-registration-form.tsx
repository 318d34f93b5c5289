'use client'

import Link from 'next/link'
import { useState } from 'react'
import { z } from 'zod'
import { FormMessage } from '../forms/form-message'
import { fieldErrors, submitted, useFormAction } from '../forms/use-form-action'
import { describedBy, inputClass } from '../ui/field'
import { SubmitButton } from '../ui/submit-button'
import { domainListSchema } from '@/lib/settings/schemas'
import type { FormAction } from './types'

// The browser checks the domains; the groups are checked by the server (they are checkboxes).
const formSchema = z.object({ allowedDomains: domainListSchema })

type Props = {
  stage: { key: string; code: string; name: string }
  settings: { enabled: boolean; allowedDomains: string[]; groups: Array<{ key: string; name: string; selected: boolean }>; moreGroups: boolean }
  action: FormAction
  editable: boolean
}

/** Self-registration on a stage's hosted pages (AUTH-6): on or off, allowed domains, groups to join. */
export function SelfRegistrationForm({ stage, settings, action, editable }: Props) {
  const [state, formAction] = useFormAction(action, formSchema)
  const domainErrors = fieldErrors(state, 'allowedDomains')
  const groupErrors = fieldErrors(state, 'groupKeys')
  const enabledId = `self-registration-${stage.code}`
  // React resets a form after its action; a checkbox resets to its defaultChecked, which follows
  // the ticks here, so what the user ticked survives a refused submission.
  const [enabled, setEnabled] = useState(settings.enabled)
  const [picked, setPicked] = useState(() => new Set(settings.groups.filter((g) => g.selected).map((g) => g.key)))
  const toggle = (key: string, on: boolean) =>
    setPicked((prev) => {
      const next = new Set(prev)
      if (on) next.add(key)
      else next.delete(key)
      return next
    })
  return (
    <form action={formAction} className="max-w-2xl space-y-5" noValidate>
      <input type="hidden" name="stageKey" value={stage.key} />
      <input type="hidden" name="returnStage" value={stage.code} />
      <div className="flex items-start gap-3">
        <input
          id={enabledId}
          type="checkbox"
          name="enabled"
          defaultChecked={enabled}
          onChange={(e) => setEnabled(e.currentTarget.checked)}
          disabled={!editable}
          className="mt-1 size-4"
          aria-describedby={`${enabledId}-hint`}
        />
        <div>
          <label htmlFor={enabledId} className="text-sm font-medium">
            Let people sign up on {stage.code}’s hosted pages
          </label>
          <p id={`${enabledId}-hint`} className="text-xs text-slate-500 dark:text-slate-400">
            New end-users enter their name and email, confirm it with an emailed code and choose a password. Off: the sign-up page does not exist.
          </p>
        </div>
      </div>

      <div className="space-y-1">
        <label htmlFor="allowedDomains" className="block text-sm font-medium text-slate-700 dark:text-slate-200">
          Allowed email domains
        </label>
        <textarea
          id="allowedDomains"
          name="allowedDomains"
          rows={3}
          readOnly={!editable}
          defaultValue={submitted(state, 'allowedDomains') ?? settings.allowedDomains.join('\n')}
          placeholder={'example.com\npartner.example.org'}
          aria-invalid={domainErrors?.length ? true : undefined}
          aria-describedby={describedBy('allowedDomains', domainErrors, true)}
          className={`${inputClass} font-mono`}
        />
        <div id="allowedDomains-hint" className="text-xs text-slate-500 dark:text-slate-400">
          One per line or separated by commas, up to 50. Empty: any email address may sign up.
        </div>
        <div id="allowedDomains-error" aria-live="polite" className="text-sm text-red-600 dark:text-red-400">
          {domainErrors?.map((e) => <p key={e}>{e}</p>)}
        </div>
      </div>

      <fieldset className="space-y-2" aria-describedby={groupErrors?.length ? 'groupKeys-error' : 'groupKeys-hint'}>
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-200">Groups new end-users join</legend>
        <p id="groupKeys-hint" className="text-xs text-slate-500 dark:text-slate-400">
          Only groups of {stage.code} can be chosen: a group belongs to one stage. New end-users get the roles these groups grant.
        </p>
        {settings.groups.length === 0 ? (
          <p className="rounded-md border border-dashed border-slate-300 px-4 py-3 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-300">
            {stage.code} has no groups yet.{' '}
            <Link href="/groups/new" className="font-medium text-brand-700 underline dark:text-brand-100">
              Create a group
            </Link>{' '}
            in {stage.name} to have new end-users join it.
          </p>
        ) : (
          <div className="grid max-h-72 gap-2 overflow-y-auto rounded-md border border-slate-200 p-3 sm:grid-cols-2 dark:border-slate-800">
            {settings.groups.map((g) => (
              <label key={g.key} className="flex items-center gap-2 text-sm">
                <input type="checkbox" name="groupKeys" value={g.key} defaultChecked={picked.has(g.key)} onChange={(e) => toggle(g.key, e.currentTarget.checked)} disabled={!editable} className="size-4" />
                {g.name}
              </label>
            ))}
          </div>
        )}
        {settings.moreGroups && <p className="text-xs text-slate-500">Only the first 500 groups are listed.</p>}
        <div id="groupKeys-error" aria-live="polite" className="text-sm text-red-600 dark:text-red-400">
          {groupErrors?.map((e) => <p key={e}>{e}</p>)}
        </div>
      </fieldset>
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      {editable && <SubmitButton pendingLabel="Saving…">Save self-registration</SubmitButton>}
    </form>
  )
}
