'use client'

import { FormMessage } from '../forms/form-message'
import { fieldErrors, submitted, useFormAction } from '../forms/use-form-action'
import { SubmitButton } from '../ui/submit-button'
import { PASSWORD_MAX, PASSWORD_MIN, type PasswordPolicyMode } from '@/lib/auth/password-policy'
import type { FormAction } from './types'

export const POLICY_CHOICES: ReadonlyArray<{ mode: PasswordPolicyMode; title: string; rule: string; why: string }> = [
  {
    mode: 'odc',
    title: 'OutSystems rule (default)',
    rule: `At least ${PASSWORD_MIN} characters, at least one digit and one upper-case letter, at most ${PASSWORD_MAX} characters, and not a common or leaked password.`,
    why: 'The rule OutSystems Developer Cloud applies, so passwords that work there work here.',
  },
  {
    mode: 'asvs',
    title: 'OWASP ASVS 5 rule',
    rule: `At least ${PASSWORD_MIN} characters, at most ${PASSWORD_MAX} characters, and not a common or leaked password. No composition rules.`,
    why: 'Recommended by OWASP: length and the leaked-password list protect better than forcing digits and capitals, which people satisfy predictably.',
  },
]

/** The password rule for every password set from now on (AUTH-2), with both choices explained. */
export function PasswordPolicyForm({ mode, action, editable }: { mode: PasswordPolicyMode; action: FormAction; editable: boolean }) {
  const [state, formAction] = useFormAction(action)
  const errors = fieldErrors(state, 'mode')
  const chosen = submitted(state, 'mode') ?? mode
  return (
    <form action={formAction} className="max-w-2xl space-y-4">
      <fieldset className="space-y-3" aria-describedby={errors?.length ? 'mode-error' : undefined}>
        <legend className="sr-only">Password rule</legend>
        {POLICY_CHOICES.map((c) => (
          <label key={c.mode} className="flex items-start gap-3 rounded-md border border-slate-200 p-3 text-sm has-[:checked]:border-brand-600 dark:border-slate-700">
            <input type="radio" name="mode" value={c.mode} defaultChecked={chosen === c.mode} disabled={!editable} className="mt-1" />
            <span>
              <span className="block font-medium">
                {c.title}
                {mode === c.mode && <span className="ml-2 text-xs font-normal text-slate-500">(current)</span>}
              </span>
              <span className="block">{c.rule}</span>
              <span className="mt-1 block text-xs text-slate-500 dark:text-slate-400">{c.why}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div id="mode-error" aria-live="polite" className="text-sm text-red-600 dark:text-red-400">
        {errors?.map((e) => <p key={e}>{e}</p>)}
      </div>
      <p className="text-xs text-slate-500 dark:text-slate-400">Existing passwords keep working; the rule is checked whenever a password is set or changed.</p>
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      {editable && <SubmitButton pendingLabel="Saving…">Save password rule</SubmitButton>}
    </form>
  )
}
