'use client'

import { SubmitButton } from '../ui/submit-button'
import { fieldErrors, type FormState } from './use-form-action'

/**
 * Shown when the server answered a submission with what it would take away (lib/actions.ts
 * needsConfirmation): the list, and a button that submits the same form again, confirmed.
 */
export function ConfirmLosses({ state, label = 'Take this access away' }: { state: FormState; label?: string }) {
  const losses = fieldErrors(state, 'confirm')
  if (!losses?.length) return null
  return (
    <div role="alert" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-900/30 dark:text-amber-100">
      <p className="font-medium">They will lose:</p>
      <ul className="list-disc pl-5">
        {losses.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
      <SubmitButton variant="danger" name="confirmed" value="yes" pendingLabel="Saving…">
        {label}
      </SubmitButton>
    </div>
  )
}
