import 'server-only'
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { env } from '../env'

// API client credentials (APIC-2, APIC-4). The client id is public; the secret is 256 random bits,
// shown once. Being high-entropy, the secret is stored as HMAC-SHA-256 keyed by AUTH_SECRET rather
// than with argon2: token issuance stays cheap, and a copy of the database alone cannot test guesses.

/** 32 lower-case hex characters, like ODC's client ids. */
export const newClientId = (): string => randomBytes(16).toString('hex')

export const newClientSecret = (): string => randomBytes(32).toString('base64url')

export const hashClientSecret = (secret: string): string => createHmac('sha256', env().AUTH_SECRET).update(`api-client-secret:${secret}`).digest('base64url')

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashClientSecret(secret))
  const b = Buffer.from(storedHash)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** ODC: a secret stops working at 23:59 UTC on its expiry date. */
export const endOfUtcDay = (date: Date): Date => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), 23, 59, 59, 999))
