import { describe, expect, it } from 'vitest'
import { checkEndUserRole, mergeHoldings, type Holding } from './end-user-roles'

const base = { appRoleKey: 'r-approver', roleName: 'Approver', appKey: 'a-orders', appName: 'Orders' }
const hold = (stage: 'DEV' | 'PRD', source: Holding['source']): Holding => ({ ...base, instanceKey: `i-${stage}`, stageKey: `s-${stage}`, stageCode: stage, source })
const group = (name: string, membershipType: 'Assigned' | 'Mapped' = 'Assigned') => ({ type: 'Group' as const, groupKey: `g-${name}`, groupName: name, membershipType })
const prd = { key: 's-PRD', code: 'PRD' }

describe('end-user roles: the union of direct grants and groups, per stage (GRP-2, EUR-1)', () => {
  it('holds a role once however many ways it is granted, listing every way', () => {
    const merged = mergeHoldings([hold('PRD', group('Managers')), hold('PRD', { type: 'Direct' }), hold('PRD', group('Imported', 'Mapped'))])
    expect(merged).toHaveLength(1)
    expect(merged[0].sources.map((s) => s.type)).toEqual(['Group', 'Direct', 'Group'])
    const decision = checkEndUserRole([hold('PRD', group('Managers')), hold('PRD', group('Imported', 'Mapped'))], base, prd)
    expect(decision.allowed).toBe(true)
    expect(decision.reason).toBe(
      'Allowed: holds the end-user role “Approver” of app “Orders” in PRD, through group “Managers” and through group “Imported” (mapped by the identity provider).',
    )
  })

  it('does not let a role held in one stage answer for another', () => {
    const decision = checkEndUserRole([hold('DEV', { type: 'Direct' })], base, prd)
    expect(decision).toMatchObject({ allowed: false, heldInOtherStages: ['DEV'] })
    expect(decision.reason).toContain('They hold it in DEV, and roles are held per stage.')
  })

  it('denies with a plain reason when nothing grants it', () => {
    expect(checkEndUserRole([], base, prd)).toEqual({
      allowed: false,
      sources: [],
      heldInOtherStages: [],
      reason: 'Denied: does not hold the end-user role “Approver” of app “Orders” in PRD, directly or through a group.',
    })
  })

  it('orders held roles by app, stage and role', () => {
    const other: Holding = { ...hold('DEV', { type: 'Direct' }), appName: 'Billing', appKey: 'a-billing', instanceKey: 'i-billing', appRoleKey: 'r-b' }
    expect(mergeHoldings([hold('PRD', { type: 'Direct' }), hold('DEV', { type: 'Direct' }), other]).map((h) => `${h.appName}/${h.stageCode}`)).toEqual(['Billing/DEV', 'Orders/DEV', 'Orders/PRD'])
  })
})
