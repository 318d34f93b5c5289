'use client'

import { FormMessage } from '../forms/form-message'
import { fieldErrors, submitted, useFormAction } from '../forms/use-form-action'
import { Field, TextInput } from '../ui/field'
import { SubmitButton } from '../ui/submit-button'
import { z } from 'zod'
import { stageNameSchema } from '@/lib/settings/schemas'
import type { FormAction } from './types'

const formSchema = z.object({ name: stageNameSchema })

export function StageNameForm({ stage, action }: { stage: { key: string; code: string; name: string }; action: FormAction }) {
  const [state, formAction] = useFormAction(action, formSchema)
  const errors = fieldErrors(state, 'name')
  const id = `stage-name-${stage.code}`
  return (
    <form action={formAction} className="flex max-w-xl flex-wrap items-end gap-3" noValidate>
      <input type="hidden" name="stageKey" value={stage.key} />
      <input type="hidden" name="returnStage" value={stage.code} />
      <div className="min-w-64 flex-1">
        <Field label="Name" name={id} errors={errors} hint={`The code ${stage.code} stays; it is part of the hosted pages’ addresses.`}>
          <TextInput id={id} name="name" defaultValue={submitted(state, 'name') ?? stage.name} required maxLength={60} errors={errors} aria-describedby={`${id}-hint${errors?.length ? ` ${id}-error` : ''}`} />
        </Field>
      </div>
      <SubmitButton pendingLabel="Saving…">Rename</SubmitButton>
      <div className="basis-full">
        <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      </div>
    </form>
  )
}
