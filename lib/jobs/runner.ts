import 'server-only'
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm'
import { getDb, type Executor } from '@/db/client'
import { jobs } from '@/db/schema'
import { logger } from '../logger'

// A small runner over the jobs table. Jobs survive restarts; with several app instances each due
// job is claimed by one of them (FOR UPDATE SKIP LOCKED), and a claim older than five minutes
// belonged to an instance that died, so another may take the job again.

export type ClaimedJob = { id: number; kind: string; payload: unknown; attempts: number }
export type JobHandler = (job: ClaimedJob, now: Date) => Promise<void>
export type JobHandlers = Readonly<Record<string, JobHandler>>

export const STALE_CLAIM_MS = 5 * 60_000
const MAX_BACKOFF_MS = 60 * 60_000

export type NewJob = { kind: string; dedupeKey?: string | null; runAt: Date; payload?: Record<string, unknown> }

/** Schedules a job; with a `dedupeKey` already used, does nothing and returns false. */
export async function scheduleJob(tx: Executor, job: NewJob): Promise<boolean> {
  const rows = await tx
    .insert(jobs)
    .values({ kind: job.kind, dedupeKey: job.dedupeKey ?? null, runAt: job.runAt, payload: job.payload ?? {} })
    .onConflictDoNothing({ target: jobs.dedupeKey })
    .returning({ id: jobs.id })
  return rows.length === 1
}

// Set by lib/jobs/start.ts while this process runs the job runner; on globalThis for the same reason.
const waker = globalThis as { __gatehouseJobWaker?: () => void }

/**
 * Asks this process's job runner to look for due jobs now instead of at its next tick (work a
 * client waits for, like a bulk creation). Does nothing where no runner runs, as in tests.
 */
export function wakeJobRunner(): void {
  waker.__gatehouseJobWaker?.()
}

export function setJobRunnerWaker(wake: (() => void) | undefined): void {
  waker.__gatehouseJobWaker = wake
}

/** After the n-th failed attempt, wait 1, 2, 4 … minutes, at most an hour. */
export const backoffMs = (attempts: number) => Math.min(MAX_BACKOFF_MS, 60_000 * 2 ** Math.max(0, attempts - 1))

/**
 * Claims due jobs of the kinds `handlers` knows, runs each, and marks it done — or records its
 * error and when to try again. Claiming is one short statement; the handlers run outside it.
 */
export async function runDueJobs(now: Date, handlers: JobHandlers, opts: { limit?: number; concurrency?: number } = {}): Promise<{ done: number; failed: number }> {
  const kinds = Object.keys(handlers)
  if (kinds.length === 0) return { done: 0, failed: 0 }
  const db = await getDb()
  const due = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(isNull(jobs.doneAt), lte(jobs.runAt, now), inArray(jobs.kind, kinds), or(isNull(jobs.claimedAt), lt(jobs.claimedAt, new Date(now.getTime() - STALE_CLAIM_MS)))))
    .orderBy(asc(jobs.runAt), asc(jobs.id))
    .limit(opts.limit ?? 20)
    .for('update', { skipLocked: true })
  const claimed = await db
    .update(jobs)
    .set({ claimedAt: now, attempts: sql`${jobs.attempts} + 1` })
    .where(inArray(jobs.id, due))
    .returning({ id: jobs.id, kind: jobs.kind, payload: jobs.payload, attempts: jobs.attempts })
  let done = 0
  let failed = 0
  const queue = claimed.sort((a, b) => a.id - b.id)
  const work = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      // `attempts` identifies this claim: if the job was retaken meanwhile, the newer claim decides.
      const mine = and(eq(jobs.id, job.id), eq(jobs.attempts, job.attempts))
      try {
        await handlers[job.kind](job, now)
        await db.update(jobs).set({ doneAt: now, claimedAt: null, lastError: null }).where(mine)
        done++
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        logger.warn('job failed', { jobId: job.id, kind: job.kind, attempts: job.attempts, error: message })
        await db
          .update(jobs)
          .set({ claimedAt: null, lastError: message.slice(0, 2000), runAt: new Date(now.getTime() + backoffMs(job.attempts)) })
          .where(mine)
        failed++
      }
    }
  }
  // With `concurrency` > 1 that many jobs run at once (each handler keeps to its own transaction).
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, work))
  return { done, failed }
}
