import { describe, expect, it } from 'vitest'
import { permissionDefs } from '@/lib/authz/catalogue'
import { impliedBy, isLocked, toSave, type EditorPermission, type Selection } from './selection'

const defs = new Map<string, EditorPermission>(permissionDefs.map((p) => [p.slug, p]))
const order = permissionDefs.map((p) => p.slug)

describe('role editor selection', () => {
  it('implies what a permission inherits, transitively, naming the chosen parent', () => {
    const implied = impliedBy(new Map([['asset.change', null]]), defs)
    expect(implied.get('asset.debug')).toEqual({ by: ['asset.change'], stageKeys: null })
    expect(implied.get('asset.open')).toEqual({ by: ['asset.change'], stageKeys: null })
    expect(implied.has('asset.change')).toBe(false)
  })

  it('passes a stage limit down to inherited permissions that allow one', () => {
    const implied = impliedBy(new Map([['endusers.manage_access', ['DEV']]]), defs)
    expect(implied.get('endusers.view')).toEqual({ by: ['endusers.manage_access'], stageKeys: ['DEV'] })
    expect(isLocked(implied.get('endusers.view'))).toBe(false)
  })

  it('unions the stages of several parents', () => {
    const selection: Selection = new Map([
      ['endusers.manage_access', ['DEV']],
      ['endusers.manage_groups', ['QA']],
    ])
    expect(impliedBy(selection, defs).get('endusers.view')).toEqual({ by: ['endusers.manage_access', 'endusers.manage_groups'], stageKeys: ['DEV', 'QA'] })
  })

  it('saves only explicit choices that no parent covers entirely', () => {
    const selection: Selection = new Map([
      ['asset.open', null],
      ['asset.change', null],
      ['endusers.manage_access', ['DEV']],
      ['endusers.view', null],
    ])
    expect(toSave(selection, defs, order)).toEqual([
      { slug: 'asset.change', stageKeys: null },
      { slug: 'endusers.view', stageKeys: null },
      { slug: 'endusers.manage_access', stageKeys: ['DEV'] },
    ])
  })
})
