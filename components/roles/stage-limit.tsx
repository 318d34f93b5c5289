'use client'

import type { StageOption } from '@/lib/roles/permission-registry'

/** "All stages" or chosen stages for one permission; a radio group plus a checkbox per stage. */
export function StageLimit({ slug, label, stages, value, disabled, onChange }: { slug: string; label: string; stages: StageOption[]; value: string[] | null; disabled: boolean; onChange: (v: string[] | null) => void }) {
  const id = `stages-${slug}`
  const limited = value !== null
  return (
    <fieldset className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm" aria-describedby={limited && value.length === 0 ? `${id}-error` : undefined}>
      <legend className="sr-only">Stages where {label} applies</legend>
      <label className="inline-flex items-center gap-1.5">
        <input type="radio" name={`${id}-mode`} checked={!limited} disabled={disabled} onChange={() => onChange(null)} />
        All stages
      </label>
      <label className="inline-flex items-center gap-1.5">
        <input type="radio" name={`${id}-mode`} checked={limited} disabled={disabled} onChange={() => onChange(stages.length ? [stages[0].key] : [])} />
        Only in
      </label>
      {limited &&
        stages.map((s) => (
          <label key={s.key} className="inline-flex items-center gap-1.5">
            <input
              type="checkbox"
              checked={value.includes(s.key)}
              disabled={disabled}
              onChange={(e) => onChange(e.target.checked ? stages.filter((x) => x.key === s.key || value.includes(x.key)).map((x) => x.key) : value.filter((k) => k !== s.key))}
            />
            <span title={s.name}>{s.code}</span>
          </label>
        ))}
      {limited && value.length === 0 && (
        <span id={`${id}-error`} role="alert" className="text-red-600 dark:text-red-400">
          Choose at least one stage.
        </span>
      )}
    </fieldset>
  )
}
