import { z } from 'zod'
import { ValidationError } from './errors'

/** Parses input crossing a boundary; a failure becomes a ValidationError with field messages. */
export function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  // PostgreSQL text cannot hold a NUL character: refused here, once, for every use case, so it is a
  // field error rather than a failed query.
  const withNul = pathsWithNul(input)
  if (withNul.length) throw new ValidationError('Some fields need attention.', Object.fromEntries(withNul.map((p) => [p, ['Contains a NUL character, which is not allowed.']])))
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const fieldErrors: Record<string, string[]> = {}
  for (const issue of result.error.issues) {
    const field = issue.path.length ? issue.path.join('.') : 'form'
    const message = issue.code === 'unrecognized_keys' ? `Unexpected field(s): ${issue.keys.join(', ')}.` : issue.message
    ;(fieldErrors[field] ??= []).push(message)
  }
  throw new ValidationError('Some fields need attention.', fieldErrors)
}

function pathsWithNul(value: unknown, path: string[] = [], found: string[] = [], depth = 0): string[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push(path.length ? path.join('.') : 'form')
  } else if (value && typeof value === 'object' && depth < 20) {
    for (const [k, v] of Object.entries(value)) pathsWithNul(v, [...path, k], found, depth + 1)
  }
  return found
}

export const emailSchema = z
  .string({ error: 'Enter an email address.' })
  .trim()
  .min(1, 'Enter an email address.')
  .max(254, 'Email addresses have at most 254 characters.')
  .pipe(z.email({ error: 'Enter a valid email address, like name@example.com.' }))
  .transform((e) => e.toLowerCase())

export const personNameSchema = z
  .string({ error: 'Enter a name.' })
  .trim()
  .min(1, 'Enter a name.')
  .max(120, 'Names have at most 120 characters.')

export const optionalPersonNameSchema = z.string().trim().max(120, 'Names have at most 120 characters.').default('')

// Passwords are never trimmed or truncated (AUTH-2); the policy itself is checked in lib/auth/passwords.ts.
export const passwordSchema = z.string({ error: 'Enter a password.' }).min(1, 'Enter a password.').max(1024, 'That password is far too long.')

export const uuidSchema = z.uuid({ error: 'Not a valid key.' })

/** Escapes LIKE wildcards so a search for "50%_off" finds exactly that. */
export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`)
}
