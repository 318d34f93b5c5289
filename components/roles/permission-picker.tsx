'use client'

import { Badge } from '@/components/ui/badge'
import type { PermissionRegistry, RegistryPermission } from '@/lib/roles/permission-registry'
import { isLocked, type Implied, type Selection } from '@/lib/roles/selection'
import { StageLimit } from './stage-limit'

type Props = {
  registry: PermissionRegistry
  selection: Selection
  implied: Map<string, Implied>
  readOnly: boolean
  onChange: (slug: string, value: string[] | null | undefined) => void
}

/** The permission registry by category (UI-5): name, purpose, scopes, stage limit, and what is implied. */
export function PermissionPicker({ registry, selection, implied, readOnly, onChange }: Props) {
  const nameOf = new Map(registry.categories.flatMap((c) => c.permissions.map((p) => [p.slug, `${p.name}`])))
  const codeOf = new Map(registry.stages.map((s) => [s.key, s.code]))
  const visible = (p: RegistryPermission) => !readOnly || selection.has(p.slug) || implied.has(p.slug)
  return (
    <div className="space-y-6">
      {registry.categories
        .filter((c) => c.permissions.some(visible))
        .map((category) => (
          <fieldset key={category.category} className="rounded-md border border-slate-200 p-4 dark:border-slate-800">
            <legend className="px-1 text-sm font-semibold">{category.category}</legend>
            <ul className="divide-y divide-slate-100 dark:divide-slate-800">
              {category.permissions.filter(visible).map((p) => {
                const imp = implied.get(p.slug)
                const locked = isLocked(imp)
                const chosen = selection.has(p.slug)
                const id = `perm-${p.slug}`
                const via = imp ? `Included by ${imp.by.map((s) => nameOf.get(s) ?? s).join(', ')}${imp.stageKeys ? ` in ${imp.stageKeys.map((k) => codeOf.get(k) ?? '?').join(', ')}` : ''}` : null
                return (
                  <li key={p.slug} className="py-3">
                    <div className="flex items-start gap-3">
                      <input
                        id={id}
                        type="checkbox"
                        className="mt-1"
                        checked={chosen || locked}
                        disabled={readOnly || locked}
                        aria-describedby={`${id}-purpose${via ? ` ${id}-via` : ''}`}
                        onChange={(e) => onChange(p.slug, e.target.checked ? null : undefined)}
                      />
                      <div className="min-w-0 flex-1">
                        <label htmlFor={id} className="flex flex-wrap items-center gap-2 text-sm font-medium">
                          {p.name}
                          {p.scopes.map((s) => (
                            <Badge key={s} tone={s === 'App' ? 'blue' : 'slate'}>
                              {s}
                            </Badge>
                          ))}
                        </label>
                        <p id={`${id}-purpose`} className="text-sm text-slate-500 dark:text-slate-400">
                          {p.purpose}
                        </p>
                        {via && (
                          <p id={`${id}-via`} className="text-xs text-brand-700 dark:text-brand-100">
                            {via}
                          </p>
                        )}
                        {p.allowStages && chosen && !locked && <StageLimit slug={p.slug} label={p.name} stages={registry.stages} value={selection.get(p.slug)!} disabled={readOnly} onChange={(v) => onChange(p.slug, v)} />}
                      </div>
                    </div>
                  </li>
                )
              })}
            </ul>
          </fieldset>
        ))}
    </div>
  )
}
