'use client'

import { FormMessage } from '../forms/form-message'
import { fieldErrors, submitted, useFormAction } from '../forms/use-form-action'
import { Field, Select, TextInput } from '../ui/field'
import { SubmitButton } from '../ui/submit-button'
import { emailSettingsFormSchema } from '@/lib/settings/schemas'
import type { FormAction } from './types'

export type EmailSettingsValues = {
  host: string
  port: number
  security: 'starttls' | 'tls' | 'none'
  username: string
  passwordStored: boolean
  fromName: string
  fromAddress: string
}

const SECURITY = [
  { value: 'starttls', label: 'STARTTLS (usually port 587)' },
  { value: 'tls', label: 'TLS from the start (usually port 465)' },
  { value: 'none', label: 'None (a relay on this machine only)' },
] as const

/** The organization's SMTP server (MAIL-1). The password is never sent back to the browser. */
export function EmailSettingsForm({ saved, defaults, action }: { saved: EmailSettingsValues | null; defaults: { fromName: string }; action: FormAction }) {
  const [state, formAction] = useFormAction(action, emailSettingsFormSchema)
  const errors = (n: string) => fieldErrors(state, n)
  const value = (n: keyof EmailSettingsValues, fallback: string) => submitted(state, n) ?? (saved ? String(saved[n]) : fallback)
  return (
    <form action={formAction} className="max-w-2xl space-y-4" noValidate>
      <div className="grid gap-4 sm:grid-cols-[1fr_8rem]">
        <Field label="SMTP server" name="host" errors={errors('host')} hint="Host name or IP address, like smtp.example.com.">
          <TextInput name="host" defaultValue={value('host', '')} required autoComplete="off" spellCheck={false} errors={errors('host')} hint />
        </Field>
        <Field label="Port" name="port" errors={errors('port')} hint="Not 25.">
          <TextInput name="port" type="number" inputMode="numeric" min={1} max={65535} defaultValue={value('port', '587')} required errors={errors('port')} hint />
        </Field>
      </div>
      <Field label="Connection security" name="security" errors={errors('security')}>
        {/* Keyed by the submitted value: after a refused submission React resets the form, and a select
            would go back to the option it was first rendered with (see stage-sessions-form.tsx). */}
        <Select key={value('security', 'starttls')} name="security" defaultValue={value('security', 'starttls')} errors={errors('security')}>
          {SECURITY.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </Select>
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Username" name="username" errors={errors('username')} hint="Leave empty if the server needs no sign-in.">
          <TextInput name="username" defaultValue={value('username', '')} autoComplete="off" spellCheck={false} errors={errors('username')} hint />
        </Field>
        <Field label="Password" name="password" errors={errors('password')} hint={saved?.passwordStored ? 'A password is stored (encrypted). Leave blank to keep it.' : 'Stored encrypted; never shown again.'}>
          <TextInput
            name="password"
            type="password"
            autoComplete="new-password"
            placeholder={saved?.passwordStored ? 'stored — leave blank to keep' : ''}
            errors={errors('password')}
            hint
          />
        </Field>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Sender name" name="fromName" errors={errors('fromName')}>
          <TextInput name="fromName" defaultValue={value('fromName', defaults.fromName)} maxLength={100} errors={errors('fromName')} />
        </Field>
        <Field label="Sender address" name="fromAddress" errors={errors('fromAddress')} hint="The server must be allowed to send as this address.">
          <TextInput name="fromAddress" type="email" defaultValue={value('fromAddress', '')} required autoComplete="off" errors={errors('fromAddress')} hint />
        </Field>
      </div>
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      <SubmitButton pendingLabel="Saving…">{saved ? 'Save SMTP server' : 'Save and start delivering'}</SubmitButton>
    </form>
  )
}
