import { describe, expect, it } from 'vitest'
import { apiClientStatus, currentSecret, statusFromSlug, statusSlug, type SecretTimes } from './status'

const NOW = new Date('2026-03-01T12:00:00Z')
const at = (iso: string) => new Date(iso)
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000)
const secret = (expiresAt: Date, retiresAt: Date | null = null, createdAt = at('2026-01-01T00:00:00Z')): SecretTimes => ({ expiresAt, retiresAt, createdAt })
const status = (over: Partial<Parameters<typeof apiClientStatus>[0]>) => apiClientStatus({ suspendedAt: null, secrets: [secret(days(60))], permissionCount: 3, now: NOW, ...over })

describe('API client status (APIC-7)', () => {
  it('is Available with a secret far from expiry and at least one permission', () => {
    expect(status({})).toBe('Available')
  })

  it('is Suspended whenever suspended, whatever the secret', () => {
    expect(status({ suspendedAt: NOW })).toBe('Suspended')
    expect(status({ suspendedAt: NOW, secrets: [] })).toBe('Suspended')
    expect(status({ suspendedAt: NOW, secrets: [secret(days(-1))] })).toBe('Suspended')
  })

  it('is Expired when no secret works: expired, retired, or none', () => {
    expect(status({ secrets: [] })).toBe('Expired')
    expect(status({ secrets: [secret(days(-1))] })).toBe('Expired')
    // Expiry is exclusive: at the expiry instant the secret no longer works.
    expect(status({ secrets: [secret(NOW)] })).toBe('Expired')
    expect(status({ secrets: [secret(days(60), NOW)] })).toBe('Expired')
    expect(status({ secrets: [secret(days(60), days(-1))] })).toBe('Expired')
  })

  it('needs attention without permissions, or within 14 days of expiry', () => {
    expect(status({ permissionCount: 0 })).toBe('Needs attention')
    expect(status({ secrets: [secret(days(14))] })).toBe('Needs attention')
    expect(status({ secrets: [secret(new Date(days(14).getTime() + 1))] })).toBe('Available')
    expect(status({ secrets: [secret(days(1))] })).toBe('Needs attention')
  })

  it('judges by the secret that replaced the others, not by one in its rotation overlap', () => {
    const old = secret(days(200), days(2), at('2026-01-01T00:00:00Z'))
    const fresh = secret(days(5), null, at('2026-02-28T00:00:00Z'))
    expect(status({ secrets: [old, fresh] })).toBe('Needs attention')
    expect(currentSecret([old, fresh], NOW)).toBe(fresh)
    // The new secret already expired but the old one is still in its overlap: it still works.
    const expiredFresh = secret(days(-1), null, at('2026-02-28T00:00:00Z'))
    expect(currentSecret([old, expiredFresh], NOW)).toBe(old)
    expect(status({ secrets: [old, expiredFresh] })).toBe('Available')
  })

  it('reads status slugs from the URL and ignores anything else', () => {
    expect(statusSlug('Needs attention')).toBe('needs-attention')
    expect(statusFromSlug('needs-attention')).toBe('Needs attention')
    expect(statusFromSlug('SUSPENDED')).toBe('Suspended')
    expect(statusFromSlug('revoked')).toBeUndefined()
    expect(statusFromSlug(undefined)).toBeUndefined()
  })
})
