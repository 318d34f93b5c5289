// Pure date rules of an API client secret's expiry (APIC-2), shared by the forms and the use cases.
// Dates are calendar days in UTC: a secret stops working at the end of its expiry day, UTC.

const DAY_MS = 86_400_000

export const DEFAULT_EXPIRY_DAYS = 90
export const MAX_EXPIRY_MONTHS = 24
/** The reminder email goes out this many days before expiry, and the status turns "Needs attention". */
export const REMINDER_DAYS = 14
export const REMINDER_WINDOW_MS = REMINDER_DAYS * DAY_MS
/** At most this long may a replaced secret keep working after a rotation (APIC-4). */
export const MAX_OVERLAP_HOURS = 72

/** YYYY-MM-DD of the UTC day `date` falls on. */
export const utcDateString = (date: Date): string => date.toISOString().slice(0, 10)

/** Midnight UTC of a YYYY-MM-DD calendar date, or null when it is not one (2026-02-30 is not). */
export function parseUtcDate(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? date : null
}

const startOfUtcDay = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()))

/** `months` calendar months after `date`'s day, kept in the target month (31 January + 1 month is 28 or 29 February). */
export function addUtcMonths(date: Date, months: number): Date {
  const y = date.getUTCFullYear()
  const m = date.getUTCMonth() + months
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  return new Date(Date.UTC(y, m, Math.min(date.getUTCDate(), lastDay)))
}

export type ExpiryBounds = { min: string; max: string; default: string }

/** The dates a new secret may expire on, as of `now`: today at the earliest, 24 months ahead at the latest. */
export function expiryBounds(now: Date): ExpiryBounds {
  const today = startOfUtcDay(now)
  return {
    min: utcDateString(today),
    max: utcDateString(addUtcMonths(today, MAX_EXPIRY_MONTHS)),
    default: utcDateString(new Date(today.getTime() + DEFAULT_EXPIRY_DAYS * DAY_MS)),
  }
}

/**
 * The expiry date to use, or the message that explains why `value` cannot be one. Empty or missing
 * means the default, 90 days from today.
 */
export function checkExpiryDate(value: string | undefined, now: Date): { ok: true; date: string } | { ok: false; message: string } {
  const bounds = expiryBounds(now)
  if (value === undefined || value === '') return { ok: true, date: bounds.default }
  if (!parseUtcDate(value)) return { ok: false, message: 'Enter a date such as 2026-12-31.' }
  // ISO dates compare correctly as strings.
  if (value < bounds.min) return { ok: false, message: 'The expiry date cannot be in the past.' }
  if (value > bounds.max) return { ok: false, message: `A secret expires at most ${MAX_EXPIRY_MONTHS} months ahead, on ${bounds.max} at the latest.` }
  return { ok: true, date: value }
}
