// Durations of a stage's end-user sessions (AUTH-4, SESS-1): entered as a whole number of minutes,
// hours or days, stored in minutes. Pure, so the form and the server share it.

export const DURATION_UNITS = ['minutes', 'hours', 'days'] as const
export type DurationUnit = (typeof DURATION_UNITS)[number]

const UNIT_MINUTES: Record<DurationUnit, number> = { minutes: 1, hours: 60, days: 24 * 60 }

// The same numbers as SESSION_LIMITS in db/schema/stages.ts (a unit test keeps them equal); repeated
// here so that the browser's copy of the form does not pull in the database schema.
export const SESSION_RANGE = {
  max: { min: 60, max: 45 * 24 * 60 },
  idle: { min: 5, max: 45 * 24 * 60 },
} as const

export const toMinutes = (value: number, unit: DurationUnit): number => value * UNIT_MINUTES[unit]

/** The largest unit a stored duration is a whole number of: 720 → 12 hours, 90 → 90 minutes. */
export function splitMinutes(minutes: number): { value: number; unit: DurationUnit } {
  if (minutes % UNIT_MINUTES.days === 0) return { value: minutes / UNIT_MINUTES.days, unit: 'days' }
  if (minutes % UNIT_MINUTES.hours === 0) return { value: minutes / UNIT_MINUTES.hours, unit: 'hours' }
  return { value: minutes, unit: 'minutes' }
}

const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`

/** A duration in words: 720 → "12 hours", 2190 → "1 day, 12 hours and 30 minutes". */
export function describeMinutes(minutes: number): string {
  const days = Math.floor(minutes / UNIT_MINUTES.days)
  const hours = Math.floor((minutes % UNIT_MINUTES.days) / UNIT_MINUTES.hours)
  const rest = minutes % UNIT_MINUTES.hours
  const parts = [days && plural(days, 'day'), hours && plural(hours, 'hour'), rest && plural(rest, 'minute')].filter((p): p is string => Boolean(p))
  if (parts.length === 0) return '0 minutes'
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`
}
