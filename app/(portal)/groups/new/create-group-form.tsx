'use client'

import Link from 'next/link'
import { FormMessage } from '@/components/forms/form-message'
import { fieldErrors, submitted, useFormAction } from '@/components/forms/use-form-action'
import { buttonClass } from '@/components/ui/button'
import { Field, Select, TextInput, TextArea } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import type { StageRef } from '@/lib/authz/model'
import { createGroupSchema } from '@/lib/groups/schemas'
import { createGroupAction } from '../actions'

export function CreateGroupForm({ stages }: { stages: StageRef[] }) {
  const [state, action] = useFormAction(createGroupAction, createGroupSchema)
  const errors = (n: string) => fieldErrors(state, n)
  return (
    <form action={action} className="space-y-4" noValidate>
      <Field label="Name" name="name" errors={errors('name')} hint="Unique within its stage.">
        <TextInput name="name" defaultValue={submitted(state, 'name')} required maxLength={100} autoFocus errors={errors('name')} hint />
      </Field>
      <Field label="Description (optional)" name="description" errors={errors('description')}>
        <TextArea name="description" rows={3} maxLength={500} defaultValue={submitted(state, 'description')} errors={errors('description')} />
      </Field>
      <Field label="Stage" name="stageKey" errors={errors('stageKey')} hint="Fixed once the group exists. Only stages where you may manage groups are listed.">
        <Select name="stageKey" defaultValue={submitted(state, 'stageKey') ?? (stages.length === 1 ? stages[0].key : '')} errors={errors('stageKey')} hint required>
          <option value="" disabled>
            Choose a stage…
          </option>
          {stages.map((s) => (
            <option key={s.key} value={s.key}>
              {s.name} ({s.code})
            </option>
          ))}
        </Select>
      </Field>
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      <div className="flex gap-2">
        <SubmitButton pendingLabel="Creating…">Create group</SubmitButton>
        <Link href="/groups" className={buttonClass('ghost')}>
          Cancel
        </Link>
      </div>
    </form>
  )
}
