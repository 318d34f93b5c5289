'use client'

import { useEffect, useState, useTransition } from 'react'
import { FormMessage } from '@/components/forms/form-message'
import { fieldErrors, submitted, useFormAction, type FormState } from '@/components/forms/use-form-action'
import { Alert } from '@/components/ui/alert'
import { Field, TextInput, inputClass } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import type { ActionResult } from '@/lib/actions'
import type { StagesChange } from '@/lib/apps/update-app'
import { impactLines } from './impact-text'
import { StageCheckboxes } from './stage-checkboxes'

type Props = {
  app: { key: string; version: number; name: string; description: string; stages: Array<{ key: string; code: string; name: string; deployed: boolean }> }
  action: (prev: FormState, formData: FormData) => Promise<FormState>
  /** A server action bound to the app: what saving these stages would add and take away. */
  preview: (stageKeys: string[]) => Promise<ActionResult<StagesChange>>
}

/**
 * Name, description and deployed stages. Unticking a stage shows at once who would lose roles
 * there, and saving then needs an explicit acknowledgement (impact before harm).
 */
export function AppDetailsForm({ app, action, preview }: Props) {
  const [state, formAction] = useFormAction(action)
  const deployed = app.stages.filter((s) => s.deployed).map((s) => s.key)
  const [selected, setSelected] = useState(deployed)
  const [change, setChange] = useState<StagesChange | null>(null)
  const [previewError, setPreviewError] = useState<string | null>(null)
  const [checking, startChecking] = useTransition()
  const errors = (n: string) => fieldErrors(state, n)
  const removing = deployed.filter((k) => !selected.includes(k))
  const adding = selected.filter((k) => !deployed.includes(k))

  useEffect(() => {
    if (removing.length === 0 && adding.length === 0) return
    startChecking(async () => {
      const result = await preview(selected)
      if (result.ok && result.data) {
        setChange(result.data)
        setPreviewError(null)
      } else setPreviewError(result.ok ? null : result.error)
    })
    // eslint-disable-next-line react-hooks/exhaustive-deps -- re-check only when the choice changes
  }, [selected.join(',')])

  const shown = removing.length || adding.length ? change : null
  const lines = shown ? impactLines(shown.impact) : []
  return (
    <form action={formAction} className="max-w-xl space-y-4">
      <input type="hidden" name="appKey" value={app.key} />
      <input type="hidden" name="version" value={app.version} />
      <Field label="Name" name="name" errors={errors('name')}>
        <TextInput name="name" defaultValue={submitted(state, 'name') ?? app.name} required maxLength={100} errors={errors('name')} />
      </Field>
      <Field label="Description" name="description" errors={errors('description')}>
        <textarea id="description" name="description" defaultValue={submitted(state, 'description') ?? app.description} maxLength={1000} rows={3} className={inputClass} />
      </Field>
      <StageCheckboxes stages={app.stages} selected={selected} onChange={setSelected} errors={errors('stageKeys')} />
      <div aria-live="polite" className="space-y-2">
        {checking && <p className="text-sm text-slate-500">Checking who would be affected…</p>}
        {previewError && <Alert tone="error">{previewError}</Alert>}
        {!checking && shown && shown.removed.length > 0 && (
          <Alert tone="warning" title={`Undeploying from ${shown.removed.map((s) => s.code).join(', ')} deletes the app's roles there.`}>
            {lines.length ? (
              <ul className="mt-1 list-disc pl-5">
                {lines.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            ) : (
              <p>Nobody holds them there, so no user or group loses anything.</p>
            )}
            <label className="mt-2 flex items-center gap-2">
              <input type="checkbox" required className="size-4" /> I understand; undeploy and revoke these roles
            </label>
          </Alert>
        )}
        {!checking && shown && shown.added.length > 0 && (
          <Alert tone="info">
            Deploying to {shown.added.map((s) => s.code).join(', ')} creates {shown.instancesToCreate} role {shown.instancesToCreate === 1 ? 'instance' : 'instances'} there, each with its own key.
          </Alert>
        )}
      </div>
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      <SubmitButton pendingLabel="Saving…">Save changes</SubmitButton>
    </form>
  )
}
