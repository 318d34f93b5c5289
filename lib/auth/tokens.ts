import 'server-only'
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import { env } from '../env'

/** 256-bit random token, URL-safe. */
export const randomToken = (): string => randomBytes(32).toString('base64url')

/** A 6-digit one-time code, uniformly distributed. */
export const randomCode = (): string => randomInt(0, 1_000_000).toString().padStart(6, '0')

/** Tokens are high-entropy: a plain SHA-256 is enough to store them. */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('base64url')

/**
 * Codes have only a million values, so they are stored as a keyed hash bound to their purpose:
 * a copy of the database alone is not enough to brute-force them offline.
 */
export const hashCode = (purpose: string, code: string): string =>
  createHmac('sha256', env().AUTH_SECRET).update(`${purpose}:${code}`).digest('base64url')

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
