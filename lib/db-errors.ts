type PgError = { code?: string; constraint?: string; cause?: unknown }

function pgError(e: unknown): PgError | undefined {
  let current: unknown = e
  for (let depth = 0; current && depth < 4; depth++) {
    const err = current as PgError
    if (typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code)) return err
    current = err.cause
  }
  return undefined
}

/** True for a unique-constraint violation, optionally of one named index. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = pgError(e)
  return err?.code === '23505' && (!constraint || err.constraint === constraint)
}

/**
 * The database's own message for a failed query, without the query text and parameters a driver
 * wraps around it (those may hold personal data, which must not reach logs or job records).
 */
export function dbErrorMessage(e: unknown): string {
  const err = pgError(e) as (PgError & { message?: string }) | undefined
  if (err?.message) return err.message
  let current = e as { message?: string; cause?: unknown } | undefined
  while (current?.cause) current = current.cause as typeof current
  return current?.message ?? String(e)
}
