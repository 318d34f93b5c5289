'use client'

import { useEffect, useId, useRef, useState, useTransition } from 'react'
import { FormMessage } from '@/components/forms/form-message'
import { useFormAction, type FormState } from '@/components/forms/use-form-action'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { SubmitButton } from '@/components/ui/submit-button'
import type { ActionResult } from '@/lib/actions'
import type { AppDeletionImpact } from '@/lib/apps/delete-app'
import type { Impact } from '@/lib/apps/impact'
import { appDeletionLines, impactLines, impactSummary } from './impact-text'

type Props = {
  /** What is being deleted: an app (roles, end-user grants, member roles) or one role. */
  kind: 'app' | 'role'
  /** A server action (bound to the key) returning the impact. */
  preview: () => Promise<ActionResult<Impact | AppDeletionImpact>>
  action: (prev: FormState, formData: FormData) => Promise<FormState>
  fields: Record<string, string>
  label: string
  title: string
  confirmLabel: string
}

/**
 * A destructive action that first asks the server who would lose what, shows it, and only then
 * offers the confirmation (impact before harm). The counts come from the same query the deletion
 * records in the audit trail.
 */
export function ImpactConfirm({ kind, preview, action, fields, label, title, confirmLabel }: Props) {
  const dialog = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const [lines, setLines] = useState<string[] | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [loading, startLoading] = useTransition()
  const [state, formAction] = useFormAction(action)
  useEffect(() => {
    if (state) dialog.current?.close()
  }, [state])

  const open = () =>
    startLoading(async () => {
      setLoadError(null)
      const result = await preview()
      if (!result.ok || !result.data) {
        setLoadError(!result.ok ? result.error : 'Could not work out what would be lost. Reload and try again.')
        return
      }
      setLines(kind === 'app' ? appDeletionLines(result.data as AppDeletionImpact) : [...impactLines(result.data as Impact, 'this role'), impactSummary(result.data as Impact, 'this role')])
      dialog.current?.showModal()
    })

  return (
    <div className="space-y-2">
      <Button variant="danger" onClick={open} disabled={loading} aria-disabled={loading}>
        {loading ? 'Checking who is affected…' : label}
      </Button>
      {loadError && <Alert tone="error">{loadError}</Alert>}
      <FormMessage state={state} />
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto w-full max-w-md rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100">
        <form action={formAction} className="space-y-4 p-6">
          {Object.entries(fields).map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          <ul className="list-disc space-y-1 pl-5 text-sm text-slate-600 dark:text-slate-300">
            {lines?.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p className="text-sm text-slate-600 dark:text-slate-300">This cannot be undone; the audit trail records the counts.</p>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => dialog.current?.close()} autoFocus>
              Cancel
            </Button>
            <SubmitButton variant="danger">{confirmLabel}</SubmitButton>
          </div>
        </form>
      </dialog>
    </div>
  )
}
