// End-user role holdings and the answer to "does this user hold role R in stage S, and why?".
// Pure: the rows are loaded by lib/access/end-user-roles.ts, so the rules can be unit-tested.

export type HoldingSource = { type: 'Direct' } | { type: 'Group'; groupKey: string; groupName: string; membershipType: 'Assigned' | 'Mapped' }

/** One application role instance held by a user, with one source (a role held twice appears twice). */
export type Holding = {
  instanceKey: string
  appRoleKey: string
  roleName: string
  appKey: string
  appName: string
  stageKey: string
  stageCode: string
  source: HoldingSource
}

export type HeldRole = Omit<Holding, 'source'> & { sources: HoldingSource[] }

/** Holdings merged per role instance: a user in two groups granting one role holds it once, for two reasons (GRP-2). */
export function mergeHoldings(holdings: Holding[]): HeldRole[] {
  const byInstance = new Map<string, HeldRole>()
  for (const { source, ...role } of holdings) {
    const held = byInstance.get(role.instanceKey) ?? { ...role, sources: [] }
    held.sources.push(source)
    byInstance.set(role.instanceKey, held)
  }
  return [...byInstance.values()].sort(
    (a, b) => a.appName.localeCompare(b.appName) || a.stageCode.localeCompare(b.stageCode) || a.roleName.localeCompare(b.roleName),
  )
}

export function sourceLabel(s: HoldingSource): string {
  if (s.type === 'Direct') return 'assigned directly'
  return s.membershipType === 'Mapped' ? `through group “${s.groupName}” (mapped by the identity provider)` : `through group “${s.groupName}”`
}

export type RoleDecision = { allowed: boolean; sources: HoldingSource[]; reason: string; heldInOtherStages: string[] }

export function checkEndUserRole(holdings: Holding[], role: { appRoleKey: string; roleName: string; appName: string }, stage: { key: string; code: string }): RoleDecision {
  const same = holdings.filter((h) => h.appRoleKey === role.appRoleKey)
  const here = same.filter((h) => h.stageKey === stage.key)
  const what = `end-user role “${role.roleName}” of app “${role.appName}” in ${stage.code}`
  const heldInOtherStages = [...new Set(same.filter((h) => h.stageKey !== stage.key).map((h) => h.stageCode))]
  if (here.length > 0) {
    const sources = here.map((h) => h.source)
    return { allowed: true, sources, heldInOtherStages, reason: `Allowed: holds the ${what}, ${sources.map(sourceLabel).join(' and ')}.` }
  }
  const elsewhere = heldInOtherStages.length ? ` They hold it in ${heldInOtherStages.join(', ')}, and roles are held per stage.` : ''
  return { allowed: false, sources: [], heldInOtherStages, reason: `Denied: does not hold the ${what}, directly or through a group.${elsewhere}` }
}
