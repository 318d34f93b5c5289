import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { jobs } from '@/db/schema'
import { useTestDatabase } from '@/test/harness'
import { backoffMs, runDueJobs, scheduleJob, STALE_CLAIM_MS, type ClaimedJob } from './runner'

const T0 = new Date('2026-02-01T00:00:00Z')
const later = (ms: number) => new Date(T0.getTime() + ms)

async function jobRow(id: number) {
  const db = await getDb()
  return (await db.select().from(jobs).where(eq(jobs.id, id)))[0]
}

async function onlyJob(dedupeKey: string) {
  const db = await getDb()
  return (await db.select().from(jobs).where(eq(jobs.dedupeKey, dedupeKey)))[0]
}

describe('the job runner', () => {
  useTestDatabase()

  it('schedules idempotently by dedupe key, and runs only due jobs of known kinds', async () => {
    const db = await getDb()
    expect(await scheduleJob(db, { kind: 'count', dedupeKey: 'count:1', runAt: T0, payload: { n: 1 } })).toBe(true)
    expect(await scheduleJob(db, { kind: 'count', dedupeKey: 'count:1', runAt: T0, payload: { n: 99 } })).toBe(false)
    await scheduleJob(db, { kind: 'count', dedupeKey: 'count:future', runAt: later(60_000) })
    await scheduleJob(db, { kind: 'unknown', dedupeKey: 'unknown:1', runAt: T0 })
    const seen: ClaimedJob[] = []
    expect(await runDueJobs(T0, { count: async (job) => void seen.push(job) })).toEqual({ done: 1, failed: 0 })
    expect(seen).toEqual([{ id: expect.any(Number), kind: 'count', payload: { n: 1 }, attempts: 1 }])
    expect(await onlyJob('count:1')).toMatchObject({ doneAt: T0, claimedAt: null })
    expect(await onlyJob('unknown:1')).toMatchObject({ doneAt: null, attempts: 0 })
    // Done jobs do not run again; the future one runs when due.
    expect(await runDueJobs(later(60_000), { count: async (job) => void seen.push(job) })).toEqual({ done: 1, failed: 0 })
    expect(seen).toHaveLength(2)
  })

  it('records a failure and retries after a growing backoff', async () => {
    const db = await getDb()
    await scheduleJob(db, { kind: 'flaky', dedupeKey: 'flaky:1', runAt: T0 })
    let calls = 0
    const flaky = {
      flaky: async () => {
        if (++calls < 3) throw new Error(`failure ${calls}`)
      },
    }
    expect(await runDueJobs(T0, flaky)).toEqual({ done: 0, failed: 1 })
    const failed = await onlyJob('flaky:1')
    expect(failed).toMatchObject({ attempts: 1, lastError: 'failure 1', claimedAt: null, doneAt: null, runAt: later(backoffMs(1)) })
    // Not before the backoff.
    expect(await runDueJobs(later(backoffMs(1) - 1), flaky)).toEqual({ done: 0, failed: 0 })
    expect(await runDueJobs(later(backoffMs(1)), flaky)).toEqual({ done: 0, failed: 1 })
    expect(await onlyJob('flaky:1')).toMatchObject({ attempts: 2, lastError: 'failure 2', runAt: later(backoffMs(1) + backoffMs(2)) })
    expect(await runDueJobs(later(backoffMs(1) + backoffMs(2)), flaky)).toEqual({ done: 1, failed: 0 })
    expect(await onlyJob('flaky:1')).toMatchObject({ attempts: 3, lastError: null })
    expect([1, 2, 3, 7, 50].map(backoffMs)).toEqual([60_000, 120_000, 240_000, 3_600_000, 3_600_000])
  })

  it('lets another runner retake a claim older than five minutes, and never a fresh one', async () => {
    const db = await getDb()
    await scheduleJob(db, { kind: 'stuck', dedupeKey: 'stuck:1', runAt: T0 })
    const { id } = await onlyJob('stuck:1')
    // A runner claimed it at T0 and died.
    await db.update(jobs).set({ claimedAt: T0, attempts: 1 }).where(eq(jobs.id, id))
    let runs = 0
    const stuck = { stuck: async () => void runs++ }
    expect(await runDueJobs(later(STALE_CLAIM_MS - 1), stuck)).toEqual({ done: 0, failed: 0 })
    expect(await runDueJobs(later(STALE_CLAIM_MS + 1), stuck)).toEqual({ done: 1, failed: 0 })
    expect(runs).toBe(1)
    expect(await jobRow(id)).toMatchObject({ attempts: 2, doneAt: later(STALE_CLAIM_MS + 1) })
  })

  it('runs each job once when runners race', async () => {
    const db = await getDb()
    for (let i = 0; i < 6; i++) await scheduleJob(db, { kind: 'race', dedupeKey: `race:${i}`, runAt: T0, payload: { i } })
    const ran: number[] = []
    const handlers = { race: async (job: ClaimedJob) => void ran.push((job.payload as { i: number }).i) }
    const results = await Promise.all([runDueJobs(T0, handlers, { limit: 2 }), runDueJobs(T0, handlers, { limit: 2 }), runDueJobs(T0, handlers, { limit: 2 }), runDueJobs(T0, handlers, { limit: 2 })])
    expect(results.reduce((sum, r) => sum + r.done, 0)).toBe(6)
    expect(ran.sort()).toEqual([0, 1, 2, 3, 4, 5])
  })

  it('runs claimed jobs side by side with a concurrency, each once', async () => {
    const db = await getDb()
    for (let i = 0; i < 4; i++) await scheduleJob(db, { kind: 'pair', dedupeKey: `pair:${i}`, runAt: T0, payload: { i } })
    let running = 0
    let most = 0
    const ran: number[] = []
    const pair = async (job: ClaimedJob) => {
      most = Math.max(most, ++running)
      // Let the other worker start before this one ends.
      await new Promise((resolve) => setImmediate(resolve))
      ran.push((job.payload as { i: number }).i)
      running--
    }
    expect(await runDueJobs(T0, { pair }, { concurrency: 2 })).toEqual({ done: 4, failed: 0 })
    expect(most).toBe(2)
    expect(ran.sort()).toEqual([0, 1, 2, 3])
  })
})
