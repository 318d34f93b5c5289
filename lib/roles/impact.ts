import 'server-only'
import type { Tx } from '@/db/client'
import type { Catalogue, GrantedPermission } from '../authz/model'
import { coverageOf, lostCoverage, lostItems, stageCodes, type RoleScope } from './coverage'
import { holderCounts, type HolderCounts } from './role-store'

export type LostPermission = {
  slug: string
  category: string
  name: string
  /** Null: lost in every stage (or the permission has no stages). */
  stageCodes: string[] | null
  scopes: RoleScope[]
  users: number
  /** "Release management · Deploy assets in PRD" */
  label: string
}

export type RoleImpact = {
  roleKey: string
  roleName: string
  /** Users holding the role through a grant that is active or scheduled (expired grants lose nothing). */
  holders: HolderCounts
  lost: LostPermission[]
  /** Users who lose at least one permission in at least one stage. */
  usersLosingAccess: number
}

/**
 * Impact before harm: which permissions × stages the role stops conferring when its permissions go
 * from `before` to `after` (inheritance expanded, stage limits applied; app-scope holders only ever
 * had the permissions that work at app scope), and how many of its holders lose each.
 */
export async function computeImpact(
  tx: Tx,
  role: { key: string; name: string },
  before: GrantedPermission[],
  after: GrantedPermission[],
  catalogue: Catalogue,
  now: Date,
): Promise<RoleImpact> {
  const holders = await holderCounts(tx, role.key, now)
  const allStages = [...catalogue.stages.keys()]
  const org = lostCoverage(coverageOf(before, catalogue, 'organization'), coverageOf(after, catalogue, 'organization'), allStages)
  const app = lostCoverage(coverageOf(before, catalogue, 'app'), coverageOf(after, catalogue, 'app'), allStages)
  const usersFor = (scopes: RoleScope[]) => (scopes.length === 2 ? holders.total : scopes[0] === 'organization' ? holders.organization : holders.app)
  const lost = lostItems(org, app, catalogue).map((item) => {
    const def = catalogue.permissions.get(item.slug)!
    const codes = stageCodes(item.stageKeys, catalogue)
    const where = codes ? ` in ${codes.join(', ')}` : ''
    const scope = item.scopes.length === 1 ? (item.scopes[0] === 'app' ? ' (app-scope holders)' : ' (organization-scope holders)') : ''
    return { slug: item.slug, category: def.category, name: def.name, stageCodes: codes, scopes: item.scopes, users: usersFor(item.scopes), label: `${def.category} · ${def.name}${where}${scope}` }
  })
  const scopesLosing = new Set(lost.filter((l) => l.users > 0).flatMap((l) => l.scopes))
  return { roleKey: role.key, roleName: role.name, holders, lost, usersLosingAccess: scopesLosing.size === 0 ? 0 : usersFor([...scopesLosing]) }
}

/** For the audit trail: "12 users: Release management · Deploy assets in PRD". */
export function impactSummary(impact: RoleImpact) {
  return {
    usersLosingAccess: impact.usersLosingAccess,
    holders: impact.holders,
    lost: impact.lost.map((l) => `${l.users} ${l.users === 1 ? 'user' : 'users'}: ${l.label}`),
  }
}
