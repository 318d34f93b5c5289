'use client'

import type { SortDirection } from '@tanstack/react-table'

/** A column header that sorts on click or Enter/Space and announces the current order. */
export function SortHeader({ label, sorted, onToggle }: { label: string; sorted: false | SortDirection; onToggle?: (e: unknown) => void }) {
  if (!onToggle) return <span>{label}</span>
  return (
    <button type="button" onClick={onToggle} className="inline-flex items-center gap-1 font-medium hover:text-brand-700 dark:hover:text-brand-100">
      {label}
      <span aria-hidden className="text-xs text-slate-400">
        {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
      </span>
    </button>
  )
}

export function ariaSort(sorted: false | SortDirection): 'ascending' | 'descending' | 'none' {
  return sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'
}
