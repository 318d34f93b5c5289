'use client'

import { useState } from 'react'
import { passwordRules, type PasswordPolicyMode } from '@/lib/auth/password-policy'
import { Field, TextInput } from '../ui/field'

/** Password input with the policy shown live while typing (AUTH-2). */
export function PasswordField({ name = 'password', label = 'Password', errors, mode = 'odc', autoComplete = 'new-password' }: { name?: string; label?: string; errors?: string[]; mode?: PasswordPolicyMode; autoComplete?: string }) {
  const [value, setValue] = useState('')
  const [visible, setVisible] = useState(false)
  const rules = passwordRules(value, mode).filter((r) => r.id !== 'max' || !r.met)
  return (
    <Field
      label={label}
      name={name}
      errors={errors}
      hint={
        <ul className="mt-1 space-y-0.5" aria-label="Password requirements">
          {rules.map((r) => (
            <li key={r.id} className={r.met ? 'text-emerald-700 dark:text-emerald-400' : ''}>
              <span aria-hidden>{r.met ? '✓' : '•'}</span> {r.label}
              <span className="sr-only">{r.met ? ' (met)' : ' (not met yet)'}</span>
            </li>
          ))}
          <li>Not a common or leaked password</li>
        </ul>
      }
    >
      <div className="relative">
        <TextInput name={name} type={visible ? 'text' : 'password'} autoComplete={autoComplete} required value={value} onChange={(e) => setValue(e.target.value)} errors={errors} hint />
        <button type="button" onClick={() => setVisible((v) => !v)} className="absolute inset-y-0 right-0 px-3 text-xs text-slate-500 hover:text-slate-800 dark:hover:text-slate-200" aria-label={visible ? 'Hide password' : 'Show password'}>
          {visible ? 'Hide' : 'Show'}
        </button>
      </div>
    </Field>
  )
}
