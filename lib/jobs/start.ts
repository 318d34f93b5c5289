import 'server-only'
import { now } from '../clock'
import { env } from '../env'
import { logger } from '../logger'
import { jobHandlers, scheduleRecurringJobs } from './handlers'
import { runDueJobs } from './runner'

export const TICK_MS = 60_000

// On globalThis: development reloads may evaluate this module again, and one runner per process is enough.
const holder = globalThis as { __gatehouseJobRunner?: { timer: NodeJS.Timeout; running: boolean } }

/** One pass: schedule the recurring jobs, then run whatever is due. Errors are logged, never thrown. */
export async function tick(at: Date = now()): Promise<void> {
  try {
    await scheduleRecurringJobs(at)
    await runDueJobs(at, jobHandlers)
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
  const state = { running: false, timer: undefined as unknown as NodeJS.Timeout }
  const run = async () => {
    // A slow pass (a mail server, a busy database) must not pile up behind itself.
    if (state.running) return
    state.running = true
    try {
      await tick()
    } finally {
      state.running = false
    }
  }
  state.timer = setInterval(() => void run(), TICK_MS)
  state.timer.unref()
  setTimeout(() => void run(), 10_000).unref()
  holder.__gatehouseJobRunner = state
}

export function stopJobRunner(): void {
  const state = holder.__gatehouseJobRunner
  if (!state) return
  clearInterval(state.timer)
  holder.__gatehouseJobRunner = undefined
}
