'use client'

import { useEffect, useId, useRef, useState } from 'react'
import { FormMessage } from '@/components/forms/form-message'
import { fieldErrors, useFormAction, type FormState } from '@/components/forms/use-form-action'
import { Button } from '@/components/ui/button'
import { Field, Select } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import { MAX_OVERLAP_HOURS, type ExpiryBounds } from '@/lib/api-clients/expiry'
import { ExpiryFields } from './expiry-fields'
import { SecretReveal } from './secret-reveal'

type Revealed = { clientId: string; clientSecret: string; expiresAt: string }

const OVERLAPS = [0, 1, 24, 48, MAX_OVERLAP_HOURS]
const overlapText = (h: number) => (h === 0 ? 'stops working at once' : `keeps working for ${h} hour${h === 1 ? '' : 's'}, then stops`)

type Props = { clientKey: string; expiry: ExpiryBounds; hasLiveSecret: boolean; action: (prev: FormState, formData: FormData) => Promise<FormState> }

/**
 * Generate a new secret (APIC-6): its own expiry and reminder, and how long the current one keeps
 * working (APIC-4). Asks for confirmation, then shows the new secret once; "Done" forgets it.
 */
export function RotateSecretForm(props: Props) {
  const [round, setRound] = useState(0)
  return <RotateSecretRound key={round} {...props} onDone={() => setRound((r) => r + 1)} />
}

function RotateSecretRound({ clientKey, expiry, hasLiveSecret, action, onDone }: Props & { onDone: () => void }) {
  const [state, dispatch] = useFormAction(action)
  const [overlap, setOverlap] = useState(0)
  const dialog = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const errors = (name: string) => fieldErrors(state, name)
  useEffect(() => {
    if (state) dialog.current?.close()
  }, [state])

  if (state?.ok && state.data) {
    const r = state.data as Revealed
    return (
      <SecretReveal clientId={r.clientId} clientSecret={r.clientSecret} expiresAt={r.expiresAt}>
        <Button variant="primary" onClick={onDone}>
          I have stored the secret
        </Button>
      </SecretReveal>
    )
  }

  return (
    <form action={dispatch} className="max-w-2xl space-y-4" noValidate>
      <input type="hidden" name="clientKey" value={clientKey} />
      <ExpiryFields expiry={expiry} errors={errors} />
      {hasLiveSecret && (
        <Field label="The current secret" name="overlapHours" errors={errors('overlapHours')} hint="An overlap lets you deploy the new secret before the old one stops: both work until it ends.">
          <Select name="overlapHours" value={overlap} onChange={(e) => setOverlap(Number(e.target.value))} errors={errors('overlapHours')} hint>
            {OVERLAPS.map((h) => (
              <option key={h} value={h}>
                {h === 0 ? 'Stops working at once' : `Keeps working for ${h} hour${h === 1 ? '' : 's'}`}
              </option>
            ))}
          </Select>
        </Field>
      )}
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      <Button variant="primary" onClick={() => dialog.current?.showModal()}>
        Generate new secret
      </Button>
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto w-full max-w-md rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100">
        <div className="space-y-4 p-6">
          <h2 id={titleId} className="text-lg font-semibold">
            Generate a new secret?
          </h2>
          <p className="text-sm text-slate-600 dark:text-slate-300">
            The client id stays the same. {hasLiveSecret ? `The current secret ${overlapText(overlap)}.` : 'The client has no working secret now.'} Tokens already issued stay valid until they expire unless the client is suspended.
          </p>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => dialog.current?.close()} autoFocus>
              Cancel
            </Button>
            {/* Submits the form the dialog belongs to, with the choices above. */}
            <SubmitButton variant={overlap === 0 && hasLiveSecret ? 'danger' : 'primary'} pendingLabel="Generating…">
              Generate new secret
            </SubmitButton>
          </div>
        </div>
      </dialog>
    </form>
  )
}
