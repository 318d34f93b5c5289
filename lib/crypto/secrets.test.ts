import { afterEach, describe, expect, it, vi } from 'vitest'

// lib/env.ts caches the configuration per module instance: each test that changes AUTH_SECRET
// loads fresh modules.
async function load(secret?: string) {
  vi.resetModules()
  if (secret) vi.stubEnv('AUTH_SECRET', secret)
  return import('./secrets')
}

describe('secrets encrypted at rest', () => {
  afterEach(() => vi.unstubAllEnvs())

  it('round-trips, with a fresh IV every time and no plaintext in the stored form', async () => {
    const { decryptSecret, encryptSecret } = await load()
    const a = encryptSecret('Hunter2-smtp-password', 'email_settings.password')
    const b = encryptSecret('Hunter2-smtp-password', 'email_settings.password')
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/)
    expect(a).not.toBe(b)
    expect(a).not.toContain('Hunter2')
    expect(decryptSecret(a, 'email_settings.password')).toBe('Hunter2-smtp-password')
    expect(decryptSecret(encryptSecret('', 'x'), 'x')).toBe('')
    expect(decryptSecret(encryptSecret('pässwörd ✓', 'x'), 'x')).toBe('pässwörd ✓')
  })

  it('refuses another context, a tampered value, an unknown version and another AUTH_SECRET', async () => {
    const first = await load('first-secret-first-secret-first-secret-42')
    const stored = first.encryptSecret('s3cret', 'email_settings.password')
    expect(() => first.decryptSecret(stored, 'idp.client_secret')).toThrow(first.SecretDecryptionError)
    const [v, iv, ct, tag] = stored.split('.')
    const flipped = Buffer.from(ct, 'base64url')
    flipped[0] ^= 1
    expect(() => first.decryptSecret([v, iv, flipped.toString('base64url'), tag].join('.'), 'email_settings.password')).toThrow(first.SecretDecryptionError)
    expect(() => first.decryptSecret(`v9.${iv}.${ct}.${tag}`, 'email_settings.password')).toThrow(/format/)
    expect(() => first.decryptSecret('not a secret', 'email_settings.password')).toThrow(first.SecretDecryptionError)

    const second = await load('second-secret-second-secret-second-secret-42')
    expect(() => second.decryptSecret(stored, 'email_settings.password')).toThrow(second.SecretDecryptionError)
  })
})
