import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors'
import { assertPasswordAllowed, hashPassword, isCommonPassword, verifyPassword } from './passwords'

describe('password checks on the server (AUTH-2)', () => {
  it('refuses common passwords whatever their case, in both modes', () => {
    expect(isCommonPassword('qwerty123456')).toBe(true)
    expect(() => assertPasswordAllowed('Qwerty123456')).toThrow(ValidationError)
    expect(() => assertPasswordAllowed('qwerty123456', 'asvs')).toThrow(ValidationError)
  })

  it('reports the problem on the named field', () => {
    try {
      assertPasswordAllowed('short', 'odc', 'newPassword')
      expect.unreachable()
    } catch (e) {
      expect((e as ValidationError).fieldErrors).toEqual({ newPassword: ['Use at least 12 characters.'] })
    }
  })

  it('accepts a compliant password', () => {
    expect(() => assertPasswordAllowed('Sturdy-Lantern-2024')).not.toThrow()
  })

  it('hashes with argon2id and never truncates', async () => {
    const password = 'A1' + 'z'.repeat(125) + 'q'
    const hash = await hashPassword(password)
    expect(hash).toMatch(/^\$argon2id\$/)
    expect(await verifyPassword(hash, password)).toBe(true)
    expect(await verifyPassword(hash, password.slice(0, 127))).toBe(false)
    expect(await verifyPassword('not a hash', password)).toBe(false)
  })
})
