import { describe, expect, it } from 'vitest'
import { PASSWORD_MAX, PASSWORD_MIN, passwordProblem, passwordRules } from './password-policy'

const unmet = (password: string, mode?: 'odc' | 'asvs') =>
  passwordRules(password, mode)
    .filter((r) => !r.met)
    .map((r) => r.id)

describe('password policy (AUTH-2), default ODC rule', () => {
  it('needs at least 12 characters', () => {
    expect(PASSWORD_MIN).toBe(12)
    expect(passwordProblem('Abcdefghij1')).toBe('Use at least 12 characters.')
    expect(passwordProblem('Abcdefghijk1')).toBeNull()
  })

  it('needs a digit', () => {
    expect(passwordProblem('Abcdefghijkl')).toBe('Include at least one digit.')
    expect(unmet('Abcdefghijkl')).toEqual(['digit'])
  })

  it('needs an upper-case letter', () => {
    expect(passwordProblem('abcdefghijk1')).toBe('Include at least one upper-case letter.')
    expect(unmet('abcdefghijk1')).toEqual(['upper'])
  })

  it('accepts digits and capitals outside ASCII', () => {
    expect(passwordProblem('Ärger-ohne-ende٣')).toBeNull()
  })

  it('allows 128 characters and refuses 129 instead of truncating', () => {
    expect(PASSWORD_MAX).toBe(128)
    const longest = 'A1' + 'x'.repeat(126)
    expect(longest).toHaveLength(128)
    expect(passwordProblem(longest)).toBeNull()
    // The first 128 characters of this one are a valid password: a policy that truncated would accept it.
    expect(passwordProblem(longest + 'x')).toBe('Use at most 128 characters.')
    expect(unmet(longest + 'x')).toEqual(['max'])
  })

  it('counts characters, not UTF-16 code units', () => {
    const emoji = '😀'.repeat(10)
    expect(emoji.length).toBe(20)
    expect(passwordProblem('A1' + emoji)).toBeNull()
    expect(passwordProblem('A1' + '😀'.repeat(9))).toBe('Use at least 12 characters.')
  })

  it('lists every rule with its state, for the live checklist', () => {
    expect(passwordRules('short').map((r) => [r.id, r.met])).toEqual([
      ['length', false],
      ['max', true],
      ['digit', false],
      ['upper', false],
    ])
  })
})

describe('password policy, OWASP ASVS rule', () => {
  it('drops the composition rules', () => {
    expect(passwordProblem('abcdefghijkl', 'asvs')).toBeNull()
    expect(passwordRules('abcdefghijkl', 'asvs').map((r) => r.id)).toEqual(['length', 'max'])
  })

  it('keeps the length limits', () => {
    expect(passwordProblem('abcdefghijk', 'asvs')).toBe('Use at least 12 characters.')
    expect(passwordProblem('a'.repeat(129), 'asvs')).toBe('Use at most 128 characters.')
    expect(passwordProblem('a'.repeat(128), 'asvs')).toBeNull()
  })
})
