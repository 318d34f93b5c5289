import 'server-only'
import { hash, verify } from '@node-rs/argon2'
import { dictionary } from '@zxcvbn-ts/language-common'
import { ValidationError } from '../errors'
import { passwordProblem, type PasswordPolicyMode } from './password-policy'

// OWASP's argon2id parameters: 19 MiB, two passes, one lane. @node-rs/argon2 hashes on the libuv
// thread pool, so sign-in never blocks the event loop.
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

let common: Set<string> | undefined
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()))
  return common
}

export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.toLowerCase())
}

/** Enforces the whole policy on every path that sets a password; throws a field error for `field`. */
export function assertPasswordAllowed(password: string, mode: PasswordPolicyMode = 'odc', field = 'password'): void {
  const problem = passwordProblem(password, mode) ?? (isCommonPassword(password) ? 'This password is too common. Choose another.' : null)
  if (problem) throw new ValidationError('The password does not meet the policy.', { [field]: [problem] })
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2)
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

// Verified when the email is unknown, so that the answer takes as long as for a real account (AUTH-1).
let dummy: Promise<string> | undefined
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword('not-a-real-password-0A')
  await verifyPassword(await dummy, password)
}
