'use client'

import { FormMessage } from '../forms/form-message'
import { fieldErrors, submitted, useFormAction } from '../forms/use-form-action'
import { describedBy, inputClass } from '../ui/field'
import { SubmitButton } from '../ui/submit-button'
import { DURATION_UNITS, describeMinutes, splitMinutes } from '@/lib/settings/durations'
import { stageSessionsFormSchema } from '@/lib/settings/schemas'
import { ConfirmLosses } from '../forms/confirm-losses'
import type { FormAction } from './types'

type Props = {
  stage: { key: string; code: string }
  sessions: { maxMinutes: number; idleMinutes: number; liveSessions: number }
  action: FormAction
}

function DurationInput({ name, label, hint, minutes, state }: { name: 'max' | 'idle'; label: string; hint: string; minutes: number; state: Parameters<typeof fieldErrors>[0] }) {
  const current = splitMinutes(minutes)
  const valueName = `${name}Value`
  const unitName = `${name}Unit`
  const errors = [...(fieldErrors(state, valueName) ?? []), ...(fieldErrors(state, unitName) ?? [])]
  return (
    <fieldset className="space-y-1">
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-200">{label}</legend>
      <div className="flex gap-2">
        <label htmlFor={valueName} className="sr-only">
          {label}: number
        </label>
        <input
          id={valueName}
          name={valueName}
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          required
          defaultValue={submitted(state, valueName) ?? current.value}
          aria-invalid={errors.length ? true : undefined}
          aria-describedby={describedBy(valueName, errors, true)}
          className={`${inputClass} w-28`}
        />
        <label htmlFor={unitName} className="sr-only">
          {label}: unit
        </label>
        <select id={unitName} name={unitName} defaultValue={submitted(state, unitName) ?? current.unit} aria-describedby={describedBy(valueName, errors, true)} className={`${inputClass} w-32`}>
          {DURATION_UNITS.map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </div>
      <div id={`${valueName}-hint`} className="text-xs text-slate-500 dark:text-slate-400">
        {hint} Now: {describeMinutes(minutes)}.
      </div>
      <div id={`${valueName}-error`} aria-live="polite" className="text-sm text-red-600 dark:text-red-400">
        {errors.map((e) => (
          <p key={e}>{e}</p>
        ))}
      </div>
    </fieldset>
  )
}

/**
 * How long end-user sessions of a stage last (AUTH-4). Saving ends every session of the stage,
 * which the form says beforehand; when sessions are live, the server asks for a confirmation.
 */
export function StageSessionsForm({ stage, sessions, action }: Props) {
  const [state, formAction] = useFormAction(action, stageSessionsFormSchema)
  const confirming = Boolean(fieldErrors(state, 'confirm')?.length)
  // React resets a form after its action, and a <select> resets to the option it was first rendered
  // with, whatever defaultValue says now: the unit would silently revert between a submission and
  // its confirmation. Fresh inputs per answer are first rendered with what was submitted.
  const answer = state && !state.ok ? JSON.stringify(state.values ?? {}) : 'saved'
  return (
    <form action={formAction} className="max-w-2xl space-y-4" noValidate>
      <input type="hidden" name="stageKey" value={stage.key} />
      <input type="hidden" name="returnStage" value={stage.code} />
      <div className="grid gap-4 sm:grid-cols-2">
        <DurationInput key={`max-${answer}`} name="max" label="Maximum session" hint="From sign-in, whatever the activity. 1 hour to 45 days." minutes={sessions.maxMinutes} state={state} />
        <DurationInput key={`idle-${answer}`} name="idle" label="Idle time" hint="Without activity; at most the maximum session. 5 minutes to 45 days." minutes={sessions.idleMinutes} state={state} />
      </div>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Saving a change ends every session of {stage.code}
        {sessions.liveSessions > 0 ? ` (${sessions.liveSessions.toLocaleString('en')} live now)` : ' (none is live now)'}: its end-users sign in again under the new limits.
      </p>
      <ConfirmLosses state={state} title={`Saving ends the sessions of ${stage.code}`} label="Save and end the sessions" />
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      {!confirming && <SubmitButton pendingLabel="Saving…">Save session settings</SubmitButton>}
    </form>
  )
}
