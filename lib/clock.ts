import { env } from './env'

// The server's notion of "now". End-to-end tests of time limits (idle sessions, code expiry) move
// it forward through /api/test/clock instead of sleeping; that route and the offset exist only when
// GATEHOUSE_TEST_CLOCK=1. The offset lives on globalThis because Next.js may load this module once
// per server bundle (pages, actions, route handlers) and they must all agree on the time.
const holder = globalThis as { __gatehouseClockOffsetMs?: number }

export function testClockEnabled(): boolean {
  return env().GATEHOUSE_TEST_CLOCK
}

export function now(): Date {
  return new Date(Date.now() + (testClockEnabled() ? (holder.__gatehouseClockOffsetMs ?? 0) : 0))
}

/** Moves the test clock forward (or back, with a negative value); refused unless enabled. */
export function advanceTestClock(ms: number): Date {
  if (!testClockEnabled()) throw new Error('The test clock is not enabled.')
  holder.__gatehouseClockOffsetMs = (holder.__gatehouseClockOffsetMs ?? 0) + ms
  return now()
}

export function resetTestClock(): void {
  holder.__gatehouseClockOffsetMs = 0
}
