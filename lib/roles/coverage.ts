// Pure: what a set of role permissions covers once inheritance and scope are applied, and what a
// change takes away. No database here, so previews can be unit-tested and reasoned about.
import { conferredBy } from '../authz/evaluate'
import type { Catalogue, GrantedPermission } from '../authz/model'

export type RoleScope = 'organization' | 'app'

/** slug → stages it holds in (null: every stage), after inheritance (AUTHZ-4) and scope (AUTHZ-2). */
export type Coverage = Map<string, string[] | null>

export function coverageOf(permissions: GrantedPermission[], catalogue: Catalogue, scope: RoleScope): Coverage {
  const grant = {
    roleKey: '',
    roleName: '',
    appKey: scope === 'app' ? 'app' : null,
    appName: null,
    startsAt: null,
    endsAt: null,
    permissions,
  }
  return new Map(conferredBy(grant, catalogue).map((c) => [c.slug, c.stageKeys]))
}

/**
 * What `before` covers that `after` does not: slug → the stages lost (null: the permission is lost
 * in every stage). `allStages` turns an "every stage" grant into the stages it loses when limited.
 */
export function lostCoverage(before: Coverage, after: Coverage, allStages: string[]): Coverage {
  const lost: Coverage = new Map()
  for (const [slug, was] of before) {
    if (!after.has(slug)) {
      lost.set(slug, was)
      continue
    }
    const now = after.get(slug)!
    if (now === null) continue
    const gone = (was ?? allStages).filter((s) => !now.includes(s))
    if (gone.length > 0) lost.set(slug, gone)
  }
  return lost
}

export type LostItem = { slug: string; stageKeys: string[] | null; scopes: RoleScope[] }

/** Organization-scope and app-scope losses as one list in registry order, merged where equal. */
export function lostItems(org: Coverage, app: Coverage, catalogue: Catalogue): LostItem[] {
  const items: LostItem[] = []
  const same = (a: string[] | null, b: string[] | null) => JSON.stringify(a) === JSON.stringify(b)
  for (const def of [...catalogue.permissions.values()].sort((a, b) => a.position - b.position)) {
    const o = org.has(def.slug) ? org.get(def.slug)! : undefined
    const a = app.has(def.slug) ? app.get(def.slug)! : undefined
    if (o !== undefined && a !== undefined && same(o, a)) items.push({ slug: def.slug, stageKeys: o, scopes: ['organization', 'app'] })
    else {
      if (o !== undefined) items.push({ slug: def.slug, stageKeys: o, scopes: ['organization'] })
      if (a !== undefined) items.push({ slug: def.slug, stageKeys: a, scopes: ['app'] })
    }
  }
  return items
}

/** Stage keys in the organization's stage order, codes for display. */
export function stageCodes(keys: string[] | null, catalogue: Catalogue): string[] | null {
  if (keys === null) return null
  const order = [...catalogue.stages.keys()]
  return [...keys].sort((x, y) => order.indexOf(x) - order.indexOf(y)).map((k) => catalogue.stages.get(k)?.code ?? 'deleted stage')
}

/** "release.deploy@DEV,QA" for a stage-limited grant, "asset.open" otherwise: how the audit trail lists grants. */
export function grantStrings(permissions: GrantedPermission[], catalogue: Catalogue): string[] {
  const position = (slug: string) => catalogue.permissions.get(slug)?.position ?? Number.MAX_SAFE_INTEGER
  return [...permissions]
    .sort((a, b) => position(a.slug) - position(b.slug))
    .map((p) => (p.stageKeys === null ? p.slug : `${p.slug}@${stageCodes(p.stageKeys, catalogue)!.join(',')}`))
}
