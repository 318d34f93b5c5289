// Progressive lockout (AUTH-3): the first five consecutive failures are free; from then on each
// further failure locks the account for longer, doubling from 2 seconds up to a 5-minute cap.

export const FREE_FAILURES = 5
export const LOCK_BASE_SECONDS = 2
export const LOCK_CAP_SECONDS = 300

/** Seconds the account stays locked after reaching `failures` consecutive failures. */
export function lockSeconds(failures: number): number {
  if (failures < FREE_FAILURES) return 0
  const step = failures - FREE_FAILURES
  return Math.min(LOCK_CAP_SECONDS, LOCK_BASE_SECONDS * 2 ** Math.min(step, 20))
}
