import 'server-only'
import { now } from '../clock'
import { env } from '../env'
import { logger } from '../logger'
import { jobHandlers, scheduleRecurringJobs } from './handlers'
import { runDueJobs, setJobRunnerWaker } from './runner'

export const TICK_MS = 60_000
// Jobs claimed per pass; a full pass is followed by another, up to MAX_PASSES, so a burst of bulk
// creations is worked off at once rather than PASS_LIMIT a minute.
const PASS_LIMIT = 20
const MAX_PASSES = 50
// Two jobs at a time: one job's database work overlaps the other's JavaScript (bench/bulk.ts).
const CONCURRENCY = 2

// On globalThis: development reloads may evaluate this module again, and one runner per process is enough.
const holder = globalThis as { __gatehouseJobRunner?: { timer: NodeJS.Timeout; running: boolean; again: boolean } }

/** One tick: schedule the recurring jobs, then run whatever is due. Errors are logged, never thrown. */
export async function tick(at?: Date): Promise<void> {
  try {
    await scheduleRecurringJobs(at ?? now())
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const { done, failed } = await runDueJobs(at ?? now(), jobHandlers, { limit: PASS_LIMIT, concurrency: CONCURRENCY })
      if (done + failed < PASS_LIMIT) break
    }
  } catch (error) {
    logger.warn('the job runner could not run', { error: (error as Error).message })
  }
}

/**
 * Starts the job runner of this server process (instrumentation.ts calls it): a tick every minute,
 * the first shortly after start. Never in tests, which call runDueJobs themselves.
 */
export function startJobRunner(): void {
  if (holder.__gatehouseJobRunner || env().NODE_ENV === 'test') return
  const state = { running: false, again: false, timer: undefined as unknown as NodeJS.Timeout }
  const run = async () => {
    // A slow pass (a mail server, a busy database) must not pile up behind itself; a wake-up
    // during a pass makes one more pass right after it, so the job that asked is not left waiting.
    if (state.running) {
      state.again = true
      return
    }
    state.running = true
    try {
      do {
        state.again = false
        await tick()
      } while (state.again)
    } finally {
      state.running = false
    }
  }
  state.timer = setInterval(() => void run(), TICK_MS)
  state.timer.unref()
  setTimeout(() => void run(), 10_000).unref()
  setJobRunnerWaker(() => setImmediate(() => void run()))
  holder.__gatehouseJobRunner = state
}

export function stopJobRunner(): void {
  const state = holder.__gatehouseJobRunner
  if (!state) return
  clearInterval(state.timer)
  setJobRunnerWaker(undefined)
  holder.__gatehouseJobRunner = undefined
}
