'use client'

import Link from 'next/link'
import { useState } from 'react'
import { FormMessage } from '@/components/forms/form-message'
import { fieldErrors, submitted, useFormAction, type FormState } from '@/components/forms/use-form-action'
import { buttonClass } from '@/components/ui/button'
import { Field, TextInput, inputClass } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import { StageCheckboxes } from './stage-checkboxes'

type Stage = { key: string; code: string; name: string }

export function CreateAppForm({ stages, action }: { stages: Stage[]; action: (prev: FormState, formData: FormData) => Promise<FormState> }) {
  const [state, formAction] = useFormAction(action)
  const [selected, setSelected] = useState(stages.map((s) => s.key))
  const errors = (n: string) => fieldErrors(state, n)
  return (
    <form action={formAction} className="space-y-4">
      <Field label="Name" name="name" errors={errors('name')}>
        <TextInput name="name" defaultValue={submitted(state, 'name')} required maxLength={100} autoFocus errors={errors('name')} />
      </Field>
      <Field label="Description (optional)" name="description" errors={errors('description')}>
        <textarea id="description" name="description" defaultValue={submitted(state, 'description')} maxLength={1000} rows={3} className={inputClass} aria-invalid={errors('description') ? true : undefined} />
      </Field>
      <StageCheckboxes stages={stages} selected={selected} onChange={setSelected} errors={errors('stageKeys')} />
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      <div className="flex gap-2">
        <SubmitButton pendingLabel="Creating…">Create app</SubmitButton>
        <Link href="/apps" className={buttonClass('ghost')}>
          Cancel
        </Link>
      </div>
    </form>
  )
}
