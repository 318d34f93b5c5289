import { describe, expect, it } from 'vitest'
import { permissionsBySlug } from '@/lib/authz/catalogue'
import type { Catalogue } from '@/lib/authz/model'
import { coverageOf, grantStrings, lostCoverage, lostItems } from './coverage'

const catalogue: Catalogue = {
  permissions: permissionsBySlug,
  stages: new Map([
    ['d', { key: 'd', code: 'DEV', name: 'Development' }],
    ['q', { key: 'q', code: 'QA', name: 'QA' }],
    ['p', { key: 'p', code: 'PRD', name: 'Production' }],
  ]),
}
const all = ['d', 'q', 'p']

describe('role coverage and what a change loses', () => {
  it('expands inheritance and drops organization-only permissions at app scope', () => {
    const perms = [{ slug: 'users.manage', stageKeys: null }, { slug: 'asset.change', stageKeys: null }]
    expect([...coverageOf(perms, catalogue, 'organization').keys()].sort()).toEqual(['asset.change', 'asset.debug', 'asset.open', 'endusers.view', 'users.manage', 'users.view_members'])
    // users.manage only works at organization scope, so it implies nothing for an app either.
    expect([...coverageOf(perms, catalogue, 'app').keys()].sort()).toEqual(['asset.change', 'asset.debug', 'asset.open'])
  })

  it('loses the stages no longer covered, and nothing when widening', () => {
    const before = coverageOf([{ slug: 'release.deploy', stageKeys: null }], catalogue, 'organization')
    const after = coverageOf([{ slug: 'release.deploy', stageKeys: ['q', 'd'] }], catalogue, 'organization')
    expect(lostCoverage(before, after, all)).toEqual(new Map([['release.deploy', ['p']]]))
    expect(lostCoverage(after, before, all)).toEqual(new Map())
  })

  it('merges equal losses at both scopes and keeps different ones apart', () => {
    const before = [{ slug: 'users.view_members', stageKeys: null }, { slug: 'asset.open', stageKeys: null }]
    const org = lostCoverage(coverageOf(before, catalogue, 'organization'), new Map(), all)
    const app = lostCoverage(coverageOf(before, catalogue, 'app'), new Map(), all)
    expect(lostItems(org, app, catalogue)).toEqual([
      { slug: 'asset.open', stageKeys: null, scopes: ['organization', 'app'] },
      { slug: 'users.view_members', stageKeys: null, scopes: ['organization'] },
    ])
  })

  it('writes grants for the audit trail in registry and stage order', () => {
    expect(grantStrings([{ slug: 'release.deploy', stageKeys: ['p', 'd'] }, { slug: 'asset.open', stageKeys: null }], catalogue)).toEqual(['asset.open', 'release.deploy@DEV,PRD'])
  })
})
