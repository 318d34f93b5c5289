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
 * Stage limits only mean something for permissions that allow them; a limit still travels down the
 * inheritance chain, so reaching a permission again with wider stages visits its children again.
 */
export function conferredBy(grant: Grant, catalogue: Catalogue): Conferred[] {
  return [...conferredMap(grant, catalogue).values()]
}

// A grant's loaded rows never change during a request, so what it confers is worked out once per
// grant and then looked up: a check is a map lookup, not a walk of the inheritance graph.
const conferredCache = new WeakMap<Grant, { catalogue: Catalogue; bySlug: Map<string, Conferred> }>()

function conferredMap(grant: Grant, catalogue: Catalogue): Map<string, Conferred> {
  const cached = conferredCache.get(grant)
  if (cached && cached.catalogue === catalogue) return cached.bySlug
  const atApp = grant.appKey !== null
  const best = new Map<string, Conferred>()
  // The stages each permission has been reached with along some path (null: every stage).
  const reached = new Map<string, string[] | null>()
  const covers = (have: string[] | null | undefined, want: string[] | null) => have !== undefined && (have === null || (want !== null && want.every((s) => have.includes(s))))
  const visit = (slug: string, chain: string[], stageKeys: string[] | null) => {
    const def = catalogue.permissions.get(slug)
    if (!def) return
    if (atApp && !def.allowedScopes.includes('Asset')) return
    const before = reached.get(slug)
    if (covers(before, stageKeys)) return
    const path = before === undefined || stageKeys === null || before === null ? (before === undefined ? stageKeys : null) : [...new Set([...before, ...stageKeys])]
    reached.set(slug, path)
    const limit = def.allowStages ? path : null
    const seen = best.get(slug)
    best.set(slug, { slug, chain: seen && covers(seen.stageKeys, limit) ? seen.chain : chain, stageKeys: limit })
    for (const child of def.inherits) if (!chain.includes(child)) visit(child, [...chain, child], stageKeys)
  }
  for (const p of grant.permissions) visit(p.slug, [p.slug], p.stageKeys)
  conferredCache.set(grant, { catalogue, bySlug: best })
  return best
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
  readonly allowed: boolean
  readonly permission: string
  readonly target: CheckTarget
  /** Grants that allow it (when allowed). */
  readonly sources: Source[]
  /** Grants that would allow it but for a stage limit, a grant period, the app, or its scope. */
  readonly nearMisses: Array<Source & { why: 'stage' | 'scheduled' | 'expired' | 'other-app' | 'no-stage' | 'organization-only' }>
  readonly reason: string
}

const source = (g: Grant, c: Conferred): Source => ({
  roleKey: g.roleKey,
  roleName: g.roleName,
  appKey: g.appKey,
  appName: g.appName,
  chain: c.chain,
  stageKeys: c.stageKeys,
})

type NearMiss = Decision['nearMisses'][number]

/** Whether any active grant allows it: the hot path of every check, with no allocation. */
function allows(principal: Principal, catalogue: Catalogue, def: PermissionDef, target: CheckTarget, now: Date): boolean {
  const worksAtApp = def.allowedScopes.includes('Asset')
  for (const grant of principal.grants) {
    if (grant.appKey !== null && (!worksAtApp || grant.appKey !== target.appKey)) continue
    const conferred = conferredMap(grant, catalogue).get(def.slug)
    if (!conferred || periodState(grant, now) !== 'active') continue
    if (conferred.stageKeys !== null && (!target.stageKey || !conferred.stageKeys.includes(target.stageKey))) continue
    return true
  }
  return false
}

/** Every grant that allows it, and every one that came close and why: for explanations. */
function detail(principal: Principal, catalogue: Catalogue, def: PermissionDef, target: CheckTarget, now: Date): { sources: Source[]; nearMisses: NearMiss[] } {
  const sources: Source[] = []
  const nearMisses: NearMiss[] = []
  const slug = def.slug
  const worksAtApp = def.allowedScopes.includes('Asset')
  for (const grant of principal.grants) {
    if (grant.appKey !== null && !worksAtApp) {
      if (grant.permissions.some((p) => p.slug === slug)) nearMisses.push({ ...source(grant, { slug, chain: [slug], stageKeys: null }), why: 'organization-only' })
      continue
    }
    const conferred = conferredMap(grant, catalogue).get(slug)
    if (!conferred) continue
    const state = periodState(grant, now)
    const s = source(grant, conferred)
    if (state !== 'active') nearMisses.push({ ...s, why: state })
    else if (grant.appKey !== null && grant.appKey !== target.appKey) nearMisses.push({ ...s, why: 'other-app' })
    else if (conferred.stageKeys !== null && !target.stageKey) nearMisses.push({ ...s, why: 'no-stage' })
    else if (conferred.stageKeys !== null && !conferred.stageKeys.includes(target.stageKey!)) nearMisses.push({ ...s, why: 'stage' })
    else sources.push(s)
  }
  return { sources, nearMisses }
}

// Most checks only need allowed or denied: the answer is computed at once, and the sources, near
// misses and the sentence explaining them only when someone reads them.
class CheckResult implements Decision {
  readonly allowed: boolean
  #detail: { sources: Source[]; nearMisses: NearMiss[] } | undefined
  #reason: string | undefined
  constructor(
    private readonly principal: Principal,
    private readonly catalogue: Catalogue,
    readonly permission: string,
    readonly target: CheckTarget,
    private readonly def: PermissionDef | undefined,
    private readonly now: Date,
  ) {
    this.allowed = def ? allows(principal, catalogue, def, target, now) : false
  }
  #details() {
    return (this.#detail ??= this.def ? detail(this.principal, this.catalogue, this.def, this.target, this.now) : { sources: [], nearMisses: [] })
  }
  get sources(): Source[] {
    return this.#details().sources
  }
  get nearMisses(): NearMiss[] {
    return this.#details().nearMisses
  }
  get reason(): string {
    return (this.#reason ??= this.def ? explain(this, this.def, this.catalogue) : `“${this.permission}” is not a known permission.`)
  }
  toJSON() {
    return { allowed: this.allowed, permission: this.permission, target: this.target, sources: this.sources, nearMisses: this.nearMisses, reason: this.reason }
  }
}

export function check(principal: Principal, catalogue: Catalogue, slug: string, target: CheckTarget = {}, now = new Date()): Decision {
  return new CheckResult(principal, catalogue, slug, target, catalogue.permissions.get(slug), now)
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
  return principal.grants.some((g) => periodState(g, now) === 'active' && conferredMap(g, catalogue).has(slug))
}

export type { GrantedPermission }
