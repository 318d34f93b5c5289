import type { Catalogue, CheckTarget, Grant, GrantedPermission, PermissionDef, Principal } from './model'

export type GrantPeriodState = 'active' | 'scheduled' | 'expired'

export function periodState(grant: Pick<Grant, 'startsAt' | 'endsAt'>, now: Date): GrantPeriodState {
  if (grant.startsAt && now < grant.startsAt) return 'scheduled'
  if (grant.endsAt && now >= grant.endsAt) return 'expired'
  return 'active'
}

/** A permission a grant confers, with the inheritance chain that led to it (granted first). */
export type Conferred = { slug: string; chain: string[]; stageKeys: string[] | null }

/**
 * Everything one grant confers: its permissions plus what they inherit, transitively (AUTHZ-4).
 * At app scope, permissions that cannot be held at app scope contribute nothing (AUTHZ-2).
 * Stage limits only mean something for permissions that allow them.
 */
export function conferredBy(grant: Grant, catalogue: Catalogue): Conferred[] {
  const atApp = grant.appKey !== null
  const best = new Map<string, Conferred>()
  const visit = (slug: string, chain: string[], stageKeys: string[] | null) => {
    const def = catalogue.permissions.get(slug)
    if (!def) return
    if (atApp && !def.allowedScopes.includes('Asset')) return
    const limit = def.allowStages ? stageKeys : null
    const seen = best.get(slug)
    // Keep the widest stage coverage when two paths lead to the same permission.
    if (seen && (seen.stageKeys === null || (limit !== null && limit.every((s) => seen.stageKeys!.includes(s))))) return
    const merged = seen && limit !== null ? [...new Set([...seen.stageKeys!, ...limit])] : limit
    best.set(slug, { slug, chain, stageKeys: merged })
    for (const child of def.inherits) if (!chain.includes(child)) visit(child, [...chain, child], stageKeys)
  }
  for (const p of grant.permissions) visit(p.slug, [p.slug], p.stageKeys)
  return [...best.values()]
}

export type Source = {
  roleKey: string
  roleName: string
  appKey: string | null
  appName: string | null
  chain: string[]
  stageKeys: string[] | null
}

export type Decision = {
  allowed: boolean
  permission: string
  target: CheckTarget
  /** Grants that allow it (when allowed). */
  sources: Source[]
  /** Grants that would allow it but for a stage limit, a grant period, the app, or its scope. */
  nearMisses: Array<Source & { why: 'stage' | 'scheduled' | 'expired' | 'other-app' | 'no-stage' | 'organization-only' }>
  reason: string
}

const source = (g: Grant, c: Conferred): Source => ({
  roleKey: g.roleKey,
  roleName: g.roleName,
  appKey: g.appKey,
  appName: g.appName,
  chain: c.chain,
  stageKeys: c.stageKeys,
})

export function check(principal: Principal, catalogue: Catalogue, slug: string, target: CheckTarget = {}, now = new Date()): Decision {
  const def = catalogue.permissions.get(slug)
  const decision: Decision = { allowed: false, permission: slug, target, sources: [], nearMisses: [], reason: '' }
  if (!def) {
    decision.reason = `“${slug}” is not a known permission.`
    return decision
  }
  for (const grant of principal.grants) {
    const state = periodState(grant, now)
    if (grant.appKey !== null && !def.allowedScopes.includes('Asset')) {
      if (grant.permissions.some((p) => p.slug === slug))
        decision.nearMisses.push({ ...source(grant, { slug, chain: [slug], stageKeys: null }), why: 'organization-only' })
      continue
    }
    const conferred = conferredBy(grant, catalogue).find((c) => c.slug === slug)
    if (!conferred) continue
    const s = source(grant, conferred)
    if (state !== 'active') decision.nearMisses.push({ ...s, why: state })
    else if (grant.appKey !== null && grant.appKey !== target.appKey) decision.nearMisses.push({ ...s, why: 'other-app' })
    else if (conferred.stageKeys !== null && !target.stageKey) decision.nearMisses.push({ ...s, why: 'no-stage' })
    else if (conferred.stageKeys !== null && !conferred.stageKeys.includes(target.stageKey!)) decision.nearMisses.push({ ...s, why: 'stage' })
    else decision.sources.push(s)
  }
  decision.allowed = decision.sources.length > 0
  decision.reason = explain(decision, def, catalogue)
  return decision
}

function stageList(keys: string[] | null, catalogue: Catalogue): string {
  if (keys === null) return 'every stage'
  return keys.map((k) => catalogue.stages.get(k)?.code ?? 'a deleted stage').join(', ')
}

function scopeLabel(s: Source): string {
  return s.appKey === null ? 'at organization scope' : `for app “${s.appName ?? s.appKey}”`
}

function viaLabel(s: Source, catalogue: Catalogue): string {
  if (s.chain.length <= 1) return ''
  const granted = catalogue.permissions.get(s.chain[0])
  return ` through “${granted?.name ?? s.chain[0]}”, which includes it`
}

export function explain(d: Decision, def: PermissionDef, catalogue: Catalogue): string {
  const what = `“${def.category} · ${def.name}”`
  const where = d.target.stageKey ? ` in ${stageList([d.target.stageKey], catalogue)}` : ''
  if (d.allowed) {
    const s = d.sources[0]
    const limit = s.stageKeys ? ` (limited to ${stageList(s.stageKeys, catalogue)})` : ''
    return `Allowed: role “${s.roleName}” ${scopeLabel(s)} grants ${what}${limit}${viaLabel(s, catalogue)}.`
  }
  if (d.nearMisses.length === 0) return `Denied: no role held grants ${what}${where}.`
  const m = d.nearMisses[0]
  const role = `role “${m.roleName}” ${scopeLabel(m)}`
  switch (m.why) {
    case 'stage':
      return `Denied: ${role} grants ${what} only in ${stageList(m.stageKeys, catalogue)}, not${where}.`
    case 'no-stage':
      return `Denied: ${role} grants ${what} only in ${stageList(m.stageKeys, catalogue)}; name a stage to check it.`
    case 'scheduled':
      return `Denied: ${role} grants ${what}, but the grant has not started yet.`
    case 'expired':
      return `Denied: ${role} grants ${what}, but the grant has expired.`
    case 'other-app':
      return `Denied: ${role} grants ${what} for that app only.`
    case 'organization-only':
      return `Denied: ${role} lists ${what}, but it only works at organization scope, so it has no effect in an app role.`
  }
}

export type EffectivePermission = { def: PermissionDef; sources: Source[] }

/** What a principal can do right now, permission by permission, with every source (UI-12). */
export function effectivePermissions(principal: Principal, catalogue: Catalogue, now = new Date()): EffectivePermission[] {
  const bySlug = new Map<string, Source[]>()
  for (const grant of principal.grants) {
    if (periodState(grant, now) !== 'active') continue
    for (const c of conferredBy(grant, catalogue)) {
      const list = bySlug.get(c.slug) ?? []
      list.push(source(grant, c))
      bySlug.set(c.slug, list)
    }
  }
  return [...catalogue.permissions.values()]
    .filter((def) => bySlug.has(def.slug))
    .sort((a, b) => a.position - b.position)
    .map((def) => ({ def, sources: bySlug.get(def.slug)! }))
}

/** Whether any active grant confers the permission somewhere (any app, any stage): for navigation. */
export function holdsAnywhere(principal: Principal, catalogue: Catalogue, slug: string, now = new Date()): boolean {
  return principal.grants.some((g) => periodState(g, now) === 'active' && conferredBy(g, catalogue).some((c) => c.slug === slug))
}

export type { GrantedPermission }
