import Link from 'next/link'
import { buttonClass } from '../ui/button'
import { inputClass } from '../ui/field'

/**
 * A list's search box (a GET form, so the URL holds the search) with the list's other filters as
 * `children`, a submit button, and "Clear" back to `clearHref` once something is filtered.
 */
export function SearchForm({
  action,
  clearHref = action,
  filtered,
  q,
  label = 'Search',
  placeholder,
  submitLabel = 'Search',
  children,
}: {
  action: string
  clearHref?: string
  filtered: boolean
  q: string | undefined
  label?: string
  placeholder: string
  submitLabel?: string
  children?: React.ReactNode
}) {
  return (
    <form role="search" action={action} className="mb-4 flex flex-wrap items-end gap-3">
      <div className="min-w-64 flex-1">
        <label htmlFor="q" className="mb-1 block text-sm font-medium">
          {label}
        </label>
        <input id="q" name="q" type="search" defaultValue={q} maxLength={100} placeholder={placeholder} className={inputClass} />
      </div>
      {children}
      <button type="submit" className={buttonClass('secondary')}>
        {submitLabel}
      </button>
      {filtered && (
        <Link href={clearHref} className={buttonClass('ghost')}>
          Clear
        </Link>
      )}
    </form>
  )
}

/** A labelled select among a search form's filters; an empty value means "no filter". */
export function FilterSelect({ name, label, value, children }: { name: string; label: string; value: string | undefined; children: React.ReactNode }) {
  return (
    <div>
      <label htmlFor={name} className="mb-1 block text-sm font-medium">
        {label}
      </label>
      <select id={name} name={name} defaultValue={value ?? ''} className={inputClass}>
        {children}
      </select>
    </div>
  )
}
