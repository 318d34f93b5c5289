import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react'

export const inputClass =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-brand-600 focus:ring-1 focus:ring-brand-600 aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-900'

type FieldProps = { label: string; name: string; errors?: string[]; hint?: ReactNode; children?: ReactNode }

/** Label, control, hint and errors, wired with aria-describedby so screen readers read the error (UI-13). */
export function Field({ label, name, errors, hint, children }: FieldProps) {
  const errorId = `${name}-error`
  const hintId = `${name}-hint`
  return (
    <div className="space-y-1">
      <label htmlFor={name} className="block text-sm font-medium text-slate-700 dark:text-slate-200">
        {label}
      </label>
      {children}
      {hint && (
        <div id={hintId} className="text-xs text-slate-500 dark:text-slate-400">
          {hint}
        </div>
      )}
      <div id={errorId} aria-live="polite" className="text-sm text-red-600 dark:text-red-400">
        {errors?.map((e) => <p key={e}>{e}</p>)}
      </div>
    </div>
  )
}

export function describedBy(name: string, errors?: string[], hint?: boolean) {
  return [errors?.length ? `${name}-error` : null, hint ? `${name}-hint` : null].filter(Boolean).join(' ') || undefined
}

export function TextInput({ name, errors, hint, ...props }: InputHTMLAttributes<HTMLInputElement> & { name: string; errors?: string[]; hint?: boolean }) {
  return <input id={name} name={name} aria-invalid={errors?.length ? true : undefined} aria-describedby={describedBy(name, errors, hint)} className={inputClass} {...props} />
}

export function TextArea({ name, errors, hint, ...props }: TextareaHTMLAttributes<HTMLTextAreaElement> & { name: string; errors?: string[]; hint?: boolean }) {
  return <textarea id={name} name={name} aria-invalid={errors?.length ? true : undefined} aria-describedby={describedBy(name, errors, hint)} className={inputClass} {...props} />
}

export function Select({ name, errors, hint, children, ...props }: SelectHTMLAttributes<HTMLSelectElement> & { name: string; errors?: string[]; hint?: boolean }) {
  return (
    <select id={name} name={name} aria-invalid={errors?.length ? true : undefined} aria-describedby={describedBy(name, errors, hint)} className={inputClass} {...props}>
      {children}
    </select>
  )
}
