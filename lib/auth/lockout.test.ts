import { describe, expect, it } from 'vitest'
import { FREE_FAILURES, LOCK_BASE_SECONDS, LOCK_CAP_SECONDS, lockSeconds } from './lockout'

describe('progressive lockout (AUTH-3)', () => {
  it('lets the first five consecutive failures go without a lock', () => {
    expect(FREE_FAILURES).toBe(5)
    for (const failures of [0, 1, 2, 3, 4]) expect(lockSeconds(failures)).toBe(0)
  })

  it('locks from the fifth failure on, doubling from 2 seconds', () => {
    expect(LOCK_BASE_SECONDS).toBe(2)
    expect([5, 6, 7, 8, 9, 10, 11, 12].map(lockSeconds)).toEqual([2, 4, 8, 16, 32, 64, 128, 256])
  })

  it('never locks for longer than five minutes, however many failures', () => {
    expect(LOCK_CAP_SECONDS).toBe(300)
    expect(lockSeconds(13)).toBe(300)
    expect(lockSeconds(20)).toBe(300)
    expect(lockSeconds(1_000)).toBe(300)
    expect(lockSeconds(Number.MAX_SAFE_INTEGER)).toBe(300)
  })

  it('never shortens the lock as failures grow', () => {
    let previous = 0
    for (let failures = 0; failures < 40; failures++) {
      expect(lockSeconds(failures)).toBeGreaterThanOrEqual(previous)
      previous = lockSeconds(failures)
    }
  })
})
