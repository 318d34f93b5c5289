'use client'

import { useEffect, useRef } from 'react'
import { SubmitButton } from '../ui/submit-button'
import { fieldErrors, type FormState } from './use-form-action'

/**
 * Shown when the server answered a submission with what it would take away or end (lib/actions.ts
 * needsConfirmation): the list, and a button that submits the same form again, confirmed. Focus
 * moves to it so that keyboard and screen-reader users meet it at once.
 */
export function ConfirmLosses({ state, title = 'They will lose:', label = 'Take this access away' }: { state: FormState; title?: string; label?: string }) {
  const losses = fieldErrors(state, 'confirm')
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (losses?.length) box.current?.focus()
  }, [losses?.length, state])
  if (!losses?.length) return null
  return (
    <div ref={box} tabIndex={-1} role="alert" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 outline-none focus:ring-2 focus:ring-amber-500 dark:border-amber-700 dark:bg-amber-900/30 dark:text-amber-100">
      <p className="font-medium">{title}</p>
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
