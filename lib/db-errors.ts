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
