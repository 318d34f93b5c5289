'use client'

import { useEffect, useId, useRef } from 'react'
import { Button } from '../ui/button'
import { SubmitButton } from '../ui/submit-button'
import { FormMessage } from './form-message'
import { useFormAction, type FormState } from './use-form-action'

type Props = {
  action: (prev: FormState, formData: FormData) => Promise<FormState>
  fields: Record<string, string>
  label: string
  title: string
  description: React.ReactNode
  confirmLabel: string
  variant?: 'primary' | 'secondary' | 'danger'
}

/**
 * A destructive or consequential action behind a confirmation dialog. The native <dialog> traps
 * focus, closes on Escape and gives focus back to the trigger.
 */
export function ConfirmAction({ action, fields, label, title, description, confirmLabel, variant = 'secondary' }: Props) {
  const dialog = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const [state, formAction] = useFormAction(action)
  useEffect(() => {
    if (state) dialog.current?.close()
  }, [state])
  return (
    <div className="space-y-2">
      <Button variant={variant} onClick={() => dialog.current?.showModal()}>
        {label}
      </Button>
      <FormMessage state={state} />
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto w-full max-w-md rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100">
        <form action={formAction} className="space-y-4 p-6">
          {Object.entries(fields).map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          <div className="text-sm text-slate-600 dark:text-slate-300">{description}</div>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => dialog.current?.close()} autoFocus>
              Cancel
            </Button>
            <SubmitButton variant={variant === 'danger' ? 'danger' : 'primary'}>{confirmLabel}</SubmitButton>
          </div>
        </form>
      </dialog>
    </div>
  )
}
