'use client'

import { useRef, useState } from 'react'
import { FormMessage } from '../forms/form-message'
import { fieldErrors, useFormAction } from '../forms/use-form-action'
import { Button } from '../ui/button'
import { describedBy, inputClass } from '../ui/field'
import { SubmitButton } from '../ui/submit-button'
import { isDomain, MAX_DOMAINS, normalizeDomain, splitDomains } from '@/lib/settings/schemas'
import type { FormAction } from './types'

/**
 * The internal user domains as a list: add one (or several pasted at once), remove any, then save.
 * Each entry is checked as it is added; the server checks the whole list again.
 */
export function InternalDomainsForm({ domains: saved, action }: { domains: string[]; action: FormAction }) {
  const [state, formAction] = useFormAction(action)
  const [domains, setDomains] = useState(saved)
  const [draft, setDraft] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const input = useRef<HTMLInputElement>(null)
  const serverErrors = fieldErrors(state, 'domains')
  const errors = problem ? [problem] : serverErrors
  const changed = domains.join('\n') !== saved.join('\n')

  function add() {
    const entries = splitDomains(draft).map(normalizeDomain).filter(Boolean)
    if (entries.length === 0) return setProblem('Type a domain first, like example.com.')
    const bad = entries.find((d) => !isDomain(d))
    if (bad) return setProblem(`“${bad}” is not a domain name. Enter domains like example.com.`)
    const next = [...new Set([...domains, ...entries])]
    if (next.length > MAX_DOMAINS) return setProblem(`Enter at most ${MAX_DOMAINS} domains.`)
    setDomains(next)
    setDraft('')
    setProblem(null)
  }

  function remove(domain: string) {
    setDomains((list) => list.filter((d) => d !== domain))
    input.current?.focus()
  }

  return (
    <form action={formAction} className="max-w-xl space-y-4">
      {domains.map((d) => (
        <input key={d} type="hidden" name="domains" value={d} />
      ))}
      {domains.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 px-4 py-3 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-300">No domains: every end-user counts as internal.</p>
      ) : (
        <ul aria-label="Internal user domains" className="divide-y divide-slate-200 rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {domains.map((d) => (
            <li key={d} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
              <span className="font-mono">{d}</span>
              <Button variant="ghost" onClick={() => remove(d)} aria-label={`Remove ${d}`}>
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div className="space-y-1">
        <label htmlFor="newDomain" className="block text-sm font-medium text-slate-700 dark:text-slate-200">
          Add a domain
        </label>
        <div className="flex gap-2">
          <input
            ref={input}
            id="newDomain"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault()
                add()
              }
            }}
            placeholder="example.com"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={errors?.length ? true : undefined}
            aria-describedby={describedBy('newDomain', errors, true)}
            className={`${inputClass} font-mono`}
          />
          <Button variant="secondary" onClick={add}>
            Add
          </Button>
        </div>
        <div id="newDomain-hint" className="text-xs text-slate-500 dark:text-slate-400">
          Press Enter to add. Several can be pasted at once, separated by commas or spaces. Up to {MAX_DOMAINS}.
        </div>
        <div id="newDomain-error" aria-live="polite" className="text-sm text-red-600 dark:text-red-400">
          {errors?.map((e) => <p key={e}>{e}</p>)}
        </div>
      </div>
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      <div className="flex items-center gap-3">
        <SubmitButton pendingLabel="Saving and reclassifying…">Save domains</SubmitButton>
        {changed && <span className="text-sm text-amber-700 dark:text-amber-300">Not saved yet.</span>}
      </div>
    </form>
  )
}
