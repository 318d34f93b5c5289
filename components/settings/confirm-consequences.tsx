'use client'

import { useEffect, useRef } from 'react'
import { fieldErrors, type FormState } from '../forms/use-form-action'
import { SubmitButton } from '../ui/submit-button'

/**
 * The server's answer to a consequential change that was not confirmed yet (lib/actions.ts
 * needsConfirmation): what will happen, and a button that submits the same form again, confirmed.
 * Focus moves to it so that keyboard and screen-reader users meet it at once.
 */
export function ConfirmConsequences({ state, title, label }: { state: FormState; title: string; label: string }) {
  const lines = fieldErrors(state, 'confirm')
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (lines?.length) box.current?.focus()
  }, [lines?.length, state])
  if (!lines?.length) return null
  return (
    <div ref={box} tabIndex={-1} role="alert" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 outline-none focus:ring-2 focus:ring-amber-500 dark:border-amber-700 dark:bg-amber-900/30 dark:text-amber-100">
      <p className="font-medium">{title}</p>
      <ul className="list-disc pl-5">
        {lines.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
      <SubmitButton variant="danger" name="confirmed" value="yes" pendingLabel="Saving…">
        {label}
      </SubmitButton>
    </div>
  )
}
