import { describe, expect, it } from 'vitest'
import { developerGrants, permissionDefs } from './catalogue'
import { check, conferredBy, effectivePermissions, holdsAnywhere, periodState } from './evaluate'
import type { Catalogue, Grant, GrantedPermission, Principal } from './model'

const DEV = '00000000-0000-4000-8000-00000000000d'
const QA = '00000000-0000-4000-8000-00000000000a'
const PRD = '00000000-0000-4000-8000-00000000000f'
const APP_A = '00000000-0000-4000-8000-0000000000a1'
const APP_B = '00000000-0000-4000-8000-0000000000b1'

const catalogue: Catalogue = {
  permissions: new Map(permissionDefs.map((p) => [p.slug, p])),
  stages: new Map([
    [DEV, { key: DEV, code: 'DEV', name: 'Development' }],
    [QA, { key: QA, code: 'QA', name: 'QA' }],
    [PRD, { key: PRD, code: 'PRD', name: 'Production' }],
  ]),
}
const stageByCode: Record<string, string> = { DEV, QA, PRD }

const NOW = new Date('2030-06-15T12:00:00Z')
const DAY = 86_400_000

function grant(roleName: string, permissions: GrantedPermission[], extra: Partial<Grant> = {}): Grant {
  return { roleKey: `role-${roleName}`, roleName, appKey: null, appName: null, startsAt: null, endsAt: null, permissions, ...extra }
}
const perms = (...slugs: string[]): GrantedPermission[] => slugs.map((slug) => ({ slug, stageKeys: null }))
const principal = (...grants: Grant[]): Principal => ({ type: 'user', key: 'user-1', label: 'someone@example.test', grants })

const developer = grant(
  'Developer',
  developerGrants.map((g) => ({ slug: g.slug, stageKeys: g.stageCodes ? g.stageCodes.map((c) => stageByCode[c]) : null })),
)

describe('authorization evaluator', () => {
  it('reaching a permission again with wider stages passes them on to what it inherits, in any order', () => {
    // Not in today's registry, but the rule must not depend on it: a[QA] and b both include x
    // (no stage limits), which includes y (stage-limited).
    const def = (slug: string, allowStages: boolean, inherits: string[]) => ({ key: slug, slug, category: 'Test', name: slug, purpose: '', allowedScopes: ['Organization' as const], allowStages, inherits, position: 0 })
    const made: Catalogue = { ...catalogue, permissions: new Map([def('a', true, ['x']), def('b', false, ['x']), def('x', false, ['y']), def('y', true, [])].map((d) => [d.slug, d])) }
    for (const order of [['a', 'b'], ['b', 'a']]) {
      const g = grant('Mixed', order.map((slug) => ({ slug, stageKeys: slug === 'a' ? [QA] : null })))
      expect(check(principal(g), made, 'y', { stageKey: PRD }, NOW).allowed, order.join()).toBe(true)
      expect(conferredBy(g, made).find((c) => c.slug === 'y')!.stageKeys, order.join()).toBeNull()
    }
  })

  describe('inheritance (AUTHZ-4)', () => {
    const changer = principal(grant('Changer', perms('asset.change')))

    it('implies every inherited permission, transitively', () => {
      for (const slug of ['asset.change', 'asset.debug', 'asset.open']) expect(check(changer, catalogue, slug, {}, NOW).allowed).toBe(true)
      expect(check(changer, catalogue, 'asset.delete', {}, NOW).allowed).toBe(false)
      expect(check(changer, catalogue, 'asset.create', {}, NOW).allowed).toBe(false)
    })

    it('reports the chain and says which role and which granted permission include it', () => {
      const d = check(changer, catalogue, 'asset.open', {}, NOW)
      expect(d.sources).toHaveLength(1)
      expect(d.sources[0].chain).toEqual(['asset.change', 'asset.debug', 'asset.open'])
      expect(d.reason).toContain('“Changer”')
      expect(d.reason).toContain('at organization scope')
      expect(d.reason).toContain('through “Change”, which includes it')
    })

    it('names a direct grant without a chain', () => {
      const d = check(changer, catalogue, 'asset.change', {}, NOW)
      expect(d.reason).toBe('Allowed: role “Changer” at organization scope grants “Asset management · Change”.')
    })

    it('explains a denial with no role at all', () => {
      const d = check(changer, catalogue, 'users.manage', {}, NOW)
      expect(d).toMatchObject({ allowed: false, sources: [], nearMisses: [] })
      expect(d.reason).toBe('Denied: no role held grants “User and access management · Manage users”.')
    })

    it('refuses an unknown permission', () => {
      const d = check(changer, catalogue, 'asset.teleport', {}, NOW)
      expect(d.allowed).toBe(false)
      expect(d.reason).toContain('not a known permission')
    })
  })

  describe('stage limits (AUTHZ-3)', () => {
    const dev = principal(developer)

    it('allows the Developer to manage end-user access in DEV', () => {
      const d = check(dev, catalogue, 'endusers.manage_access', { stageKey: DEV }, NOW)
      expect(d.allowed).toBe(true)
      expect(d.sources[0]).toMatchObject({ roleName: 'Developer', stageKeys: [DEV] })
      expect(d.reason).toContain('“Developer”')
      expect(d.reason).toContain('(limited to DEV)')
    })

    it('denies it in PRD and says which stages the role covers', () => {
      const d = check(dev, catalogue, 'endusers.manage_access', { stageKey: PRD }, NOW)
      expect(d.allowed).toBe(false)
      expect(d.nearMisses).toEqual([expect.objectContaining({ roleName: 'Developer', why: 'stage', stageKeys: [DEV] })])
      expect(d.reason).toBe('Denied: role “Developer” at organization scope grants “End-user management · Manage end-user access” only in DEV, not in PRD.')
    })

    it('denies it when no stage is named and asks for one', () => {
      const d = check(dev, catalogue, 'endusers.manage_access', {}, NOW)
      expect(d.allowed).toBe(false)
      expect(d.nearMisses[0].why).toBe('no-stage')
      expect(d.reason).toContain('“Developer”')
      expect(d.reason).toContain('only in DEV; name a stage to check it')
    })

    it('carries the limit down the inheritance chain but keeps the widest coverage', () => {
      // endusers.view is granted in DEV directly and through manage_access (also DEV): still DEV only.
      expect(check(dev, catalogue, 'endusers.view', { stageKey: DEV }, NOW).allowed).toBe(true)
      expect(check(dev, catalogue, 'endusers.view', { stageKey: QA }, NOW).allowed).toBe(false)
      const wide = principal(grant('Wide', [{ slug: 'endusers.manage_access', stageKeys: [DEV] }, { slug: 'endusers.view', stageKeys: [PRD] }]))
      const view = conferredBy(wide.grants[0], catalogue).find((c) => c.slug === 'endusers.view')!
      expect([...view.stageKeys!].sort()).toEqual([DEV, PRD].sort())
      expect(check(wide, catalogue, 'endusers.view', { stageKey: PRD }, NOW).allowed).toBe(true)
      expect(check(wide, catalogue, 'endusers.view', { stageKey: QA }, NOW).allowed).toBe(false)
    })

    it('ignores stage limits on permissions that cannot be limited, and lets unlimited grants hold in every stage', () => {
      const p = principal(grant('Odd', [{ slug: 'asset.open', stageKeys: [DEV] }]))
      expect(check(p, catalogue, 'asset.open', { stageKey: PRD }, NOW).allowed).toBe(true)
      expect(check(dev, catalogue, 'asset.change', { stageKey: PRD }, NOW).allowed).toBe(true)
      expect(check(dev, catalogue, 'release.deploy', { stageKey: DEV }, NOW).allowed).toBe(true)
      expect(check(dev, catalogue, 'release.deploy', { stageKey: QA }, NOW).allowed).toBe(false)
    })
  })

  describe('grant periods (ROLE-4)', () => {
    const starts = new Date(NOW.getTime() + DAY)
    const ends = new Date(NOW.getTime() + 30 * DAY)
    const timed = principal(grant('Contractor', perms('asset.open'), { startsAt: starts, endsAt: ends }))

    it('grants nothing before the period starts (scheduled)', () => {
      const d = check(timed, catalogue, 'asset.open', {}, NOW)
      expect(d.allowed).toBe(false)
      expect(d.nearMisses[0].why).toBe('scheduled')
      expect(d.reason).toContain('“Contractor”')
      expect(d.reason).toContain('has not started yet')
      expect(periodState(timed.grants[0], NOW)).toBe('scheduled')
    })

    it('grants from the first instant of the period until just before its end', () => {
      expect(check(timed, catalogue, 'asset.open', {}, starts).allowed).toBe(true)
      expect(check(timed, catalogue, 'asset.open', {}, new Date(ends.getTime() - 1)).allowed).toBe(true)
      expect(periodState(timed.grants[0], new Date(NOW.getTime() + 10 * DAY))).toBe('active')
    })

    it('grants nothing from the end of the period on (expired)', () => {
      const d = check(timed, catalogue, 'asset.open', {}, ends)
      expect(d.allowed).toBe(false)
      expect(d.nearMisses[0].why).toBe('expired')
      expect(d.reason).toContain('“Contractor”')
      expect(d.reason).toContain('has expired')
    })

    it('leaves inactive grants out of effective permissions and navigation', () => {
      expect(effectivePermissions(timed, catalogue, NOW)).toEqual([])
      expect(holdsAnywhere(timed, catalogue, 'asset.open', NOW)).toBe(false)
      expect(holdsAnywhere(timed, catalogue, 'asset.open', starts)).toBe(true)
    })
  })

  describe('organization and app scope (AUTHZ-1, AUTHZ-2)', () => {
    const viewer = grant('Viewer', perms('asset.open', 'asset.debug'))
    const appChanger = grant('App changer', perms('asset.change', 'release.deploy'), { appKey: APP_A, appName: 'Alpha' })

    it('adds app-scope permissions to the organization-scope ones for that app only', () => {
      const p = principal(viewer, appChanger)
      const onA = check(p, catalogue, 'asset.change', { appKey: APP_A }, NOW)
      expect(onA.allowed).toBe(true)
      expect(onA.reason).toContain('“App changer” for app “Alpha”')
      expect(check(p, catalogue, 'asset.open', { appKey: APP_B }, NOW).allowed).toBe(true)
      expect(check(p, catalogue, 'asset.debug', { appKey: APP_A }, NOW).sources.map((s) => s.roleName).sort()).toEqual(['App changer', 'Viewer'])
    })

    it('does not apply an app-scope grant to another app, and says so', () => {
      const p = principal(viewer, appChanger)
      const onB = check(p, catalogue, 'asset.change', { appKey: APP_B }, NOW)
      expect(onB.allowed).toBe(false)
      expect(onB.nearMisses).toEqual([expect.objectContaining({ roleName: 'App changer', appKey: APP_A, why: 'other-app' })])
      expect(onB.reason).toContain('“App changer”')
      expect(onB.reason).toContain('for that app only')
      expect(check(p, catalogue, 'asset.change', {}, NOW).allowed).toBe(false)
    })

    it('never removes an organization-scope permission through an app-scope role', () => {
      const orgChanger = grant('Org changer', perms('asset.change', 'asset.delete'))
      const narrow = grant('Narrow', perms('asset.open'), { appKey: APP_A, appName: 'Alpha' })
      const p = principal(orgChanger, narrow)
      for (const slug of ['asset.change', 'asset.delete', 'asset.open']) {
        const d = check(p, catalogue, slug, { appKey: APP_A }, NOW)
        expect(d.allowed).toBe(true)
        expect(d.sources.some((s) => s.roleName === 'Org changer')).toBe(true)
      }
    })

    it('ignores organization-only permissions in an app-scope role and explains why', () => {
      const odd = grant('App admin', perms('users.manage', 'asset.open'), { appKey: APP_A, appName: 'Alpha' })
      const p = principal(odd)
      const d = check(p, catalogue, 'users.manage', { appKey: APP_A }, NOW)
      expect(d.allowed).toBe(false)
      expect(d.nearMisses).toEqual([expect.objectContaining({ roleName: 'App admin', why: 'organization-only' })])
      expect(d.reason).toContain('“App admin”')
      expect(d.reason).toContain('only works at organization scope')
      // Nor does it confer what users.manage would inherit.
      expect(conferredBy(odd, catalogue).map((c) => c.slug)).toEqual(['asset.open'])
      expect(check(p, catalogue, 'users.view_members', {}, NOW).allowed).toBe(false)
      expect(holdsAnywhere(p, catalogue, 'users.manage', NOW)).toBe(false)
    })

    it('lists effective permissions with every source, in catalogue order', () => {
      const effective = effectivePermissions(principal(viewer, appChanger), catalogue, NOW)
      expect(effective.map((e) => e.def.slug)).toEqual(['asset.open', 'asset.debug', 'asset.change', 'release.deploy'])
      expect(effective[0].sources.map((s) => s.roleName).sort()).toEqual(['App changer', 'Viewer'])
    })
  })
})
