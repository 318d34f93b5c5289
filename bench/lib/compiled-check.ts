/**
 * A bench-only prototype, not product code: the same decision as `check()` in lib/authz/evaluate.ts,
 * but with each grant's conferred permissions (inheritance, app-scope filter, stage limits) computed
 * once per principal instead of on every check. It answers allowed/denied only; the explanation
 * would still come from `check()` when one is shown. The benchmark uses it to show what the
 * evaluator's per-check cost would be with that cache, and verifies it agrees with `check()`.
 */
import { conferredBy } from '@/lib/authz/evaluate'
import type { Catalogue, CheckTarget, Principal } from '@/lib/authz/model'

type Entry = { appKey: string | null; stages: Set<string> | null; startsAt: number; endsAt: number }

export function compilePrincipal(principal: Principal, catalogue: Catalogue): (slug: string, target: CheckTarget, nowMs: number) => boolean {
  const bySlug = new Map<string, Entry[]>()
  for (const g of principal.grants)
    for (const c of conferredBy(g, catalogue)) {
      const list = bySlug.get(c.slug) ?? []
      list.push({ appKey: g.appKey, stages: c.stageKeys ? new Set(c.stageKeys) : null, startsAt: g.startsAt?.getTime() ?? -Infinity, endsAt: g.endsAt?.getTime() ?? Infinity })
      bySlug.set(c.slug, list)
    }
  return (slug, target, nowMs) => {
    const list = bySlug.get(slug)
    if (!list) return false
    for (const e of list) {
      if (nowMs < e.startsAt || nowMs >= e.endsAt) continue
      if (e.appKey !== null && e.appKey !== target.appKey) continue
      if (e.stages !== null && (!target.stageKey || !e.stages.has(target.stageKey))) continue
      return true
    }
    return false
  }
}
