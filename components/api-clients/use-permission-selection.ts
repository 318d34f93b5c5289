'use client'

import { useMemo, useState } from 'react'
import type { GrantedPermission } from '@/lib/authz/model'
import type { PermissionRegistry } from '@/lib/roles/permission-registry'
import { impliedBy, toSave, type EditorPermission, type Selection } from '@/lib/roles/selection'

/**
 * The role editor's selection rules for an API client's permissions: choosing a permission
 * includes what it implies, and only the explicit choices its parents do not cover are saved.
 */
export function usePermissionSelection(registry: PermissionRegistry, initial: GrantedPermission[]) {
  const [selection, setSelection] = useState<Selection>(() => new Map(initial.map((p) => [p.slug, p.stageKeys])))
  const defs = useMemo(() => new Map<string, EditorPermission>(registry.categories.flatMap((c) => c.permissions.map((p) => [p.slug, p]))), [registry])
  const order = useMemo(() => registry.categories.flatMap((c) => c.permissions.map((p) => p.slug)), [registry])
  const implied = useMemo(() => impliedBy(selection, defs), [selection, defs])
  const saved = toSave(selection, defs, order)
  const change = (slug: string, value: string[] | null | undefined) =>
    setSelection((prev) => {
      const next = new Map(prev)
      if (value === undefined) next.delete(slug)
      else next.set(slug, value)
      return next
    })
  return {
    selection,
    implied,
    saved,
    change,
    /** A stage-limited permission with no stage chosen yet cannot be saved. */
    incomplete: saved.some((g) => g.stageKeys !== null && g.stageKeys.length === 0),
    reset: () => setSelection(new Map(initial.map((p) => [p.slug, p.stageKeys]))),
  }
}

export type PermissionSelection = ReturnType<typeof usePermissionSelection>
