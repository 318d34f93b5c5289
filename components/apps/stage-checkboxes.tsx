'use client'

/** The stages an app is deployed to, as checkboxes named `stageKeys` (controlled by the form). */
export function StageCheckboxes({ stages, selected, onChange, errors }: { stages: Array<{ key: string; code: string; name: string }>; selected: string[]; onChange: (next: string[]) => void; errors?: string[] }) {
  return (
    <fieldset className="space-y-1" aria-describedby={errors?.length ? 'stageKeys-error' : undefined}>
      <legend className="block text-sm font-medium text-slate-700 dark:text-slate-200">Deployed to</legend>
      <div className="flex flex-wrap gap-4 pt-1">
        {stages.map((s) => (
          <label key={s.key} className="inline-flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name="stageKeys"
              value={s.key}
              checked={selected.includes(s.key)}
              onChange={(e) => onChange(e.target.checked ? stages.filter((x) => x.key === s.key || selected.includes(x.key)).map((x) => x.key) : selected.filter((k) => k !== s.key))}
              className="size-4 rounded border-slate-300"
            />
            {s.name} <span className="text-xs text-slate-500">({s.code})</span>
          </label>
        ))}
      </div>
      <div id="stageKeys-error" aria-live="polite" className="text-sm text-red-600 dark:text-red-400">
        {errors?.map((e) => <p key={e}>{e}</p>)}
      </div>
    </fieldset>
  )
}
