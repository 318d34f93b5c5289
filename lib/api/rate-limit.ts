import 'server-only'
import { lt, sql } from 'drizzle-orm'
import type { Executor } from '@/db/client'
import { organizations, rateLimitWindows } from '@/db/schema'
import { logger } from '../logger'

// The REST APIs' rate limits (API-3, REST-9, LIM-1): per organization and per minute, counted in
// PostgreSQL so that every app instance counts against the same limit (nothing is kept in memory).
// One organization per deployment (ORG-1), so a bucket's name is the organization's bucket:
//   identity   every authenticated /api/identity/v1 request (organizations.api_rate_limit, 100)
//   bulk       POST /api/identity/v1/users/bulk (organizations.bulk_rate_limit, 5); those calls are
//              counted in `identity` as well
//   gatehouse  every authenticated /api/gatehouse/v1 request (the same limit as identity, its own count)
//
// Fixed one-minute windows: a window starts on each whole minute (UTC) and its count is one row of
// rate_limit_windows, incremented atomically by an upsert, so concurrent requests on any number of
// instances never get more than `limit` allowed answers in a window. A request is counted when it is
// taken, whether it is then allowed or not (the count is of attempts); since the window is fixed, a
// refused attempt never prolongs a refusal past the end of its minute.

export type RateLimitBucket = 'identity' | 'bulk' | 'gatehouse'

export const WINDOW_MS = 60_000
/** Windows older than this are deleted when a bucket's next window starts. */
export const RETAIN_WINDOWS_MS = 5 * WINDOW_MS

export type RateLimitState = {
  allowed: boolean
  limit: number
  /** Requests left in this window after this one (0 when refused). */
  remaining: number
  /** Whole seconds until the window ends and the count starts again (1–60). */
  resetSeconds: number
}

export const windowStartOf = (now: Date): Date => new Date(Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS)

/**
 * Counts one request in `bucket`'s current window and says whether it is within `limit`: one
 * `insert … on conflict do update set count = count + 1 returning count`, atomic however many
 * requests arrive at once. The first request of a bucket's window also deletes every window older
 * than a few minutes (any bucket's), so the table stays small without a scheduled job.
 */
export async function takeRequest(db: Executor, { bucket, limit, now }: { bucket: string; limit: number; now: Date }): Promise<RateLimitState> {
  const windowStart = windowStartOf(now)
  const [row] = await db
    .insert(rateLimitWindows)
    .values({ bucket, windowStart, count: 1 })
    .onConflictDoUpdate({ target: [rateLimitWindows.bucket, rateLimitWindows.windowStart], set: { count: sql`${rateLimitWindows.count} + 1` } })
    .returning({ count: rateLimitWindows.count })
  if (row.count === 1) await deleteOldWindows(db, windowStart)
  const resetSeconds = Math.max(1, Math.ceil((windowStart.getTime() + WINDOW_MS - now.getTime()) / 1000))
  return { allowed: row.count <= limit, limit, remaining: Math.max(0, limit - row.count), resetSeconds }
}

async function deleteOldWindows(db: Executor, windowStart: Date): Promise<void> {
  try {
    await db.delete(rateLimitWindows).where(lt(rateLimitWindows.windowStart, new Date(windowStart.getTime() - RETAIN_WINDOWS_MS)))
  } catch (error) {
    // Housekeeping: the next window's first request tries again; the request itself goes on.
    logger.warn('old rate limit windows not deleted', { error })
  }
}

export type RateLimits = { api: number; bulk: number }

/** The organization's limits per minute, read on every request (an edit applies at once on every instance). */
export async function rateLimitsOf(db: Executor): Promise<RateLimits> {
  const [org] = await db.select({ api: organizations.apiRateLimit, bulk: organizations.bulkRateLimit }).from(organizations).limit(1)
  return org ?? { api: 100, bulk: 5 }
}

export type RateLimitOutcome = RateLimitState & { bucket: RateLimitBucket }

/**
 * Takes one request from each of the buckets an API call belongs to: its API's (`identity` or
 * `gatehouse`) and then, for bulk creation, `bulk`. A call refused by its API's bucket is not
 * counted in `bulk`; a bulk call refused by `bulk` has been counted in `identity` (it is a call).
 * Returns the bucket that refused the call or, when all allow it, the one closest to its limit —
 * the state the RateLimit-* headers report.
 */
export async function takeApiRequest(db: Executor, { buckets, now }: { buckets: RateLimitBucket[]; now: Date }): Promise<RateLimitOutcome> {
  const limits = await rateLimitsOf(db)
  let reported: RateLimitOutcome | undefined
  for (const bucket of buckets) {
    const state = { bucket, ...(await takeRequest(db, { bucket, limit: bucket === 'bulk' ? limits.bulk : limits.api, now })) }
    if (!state.allowed) return state
    if (!reported || state.remaining < reported.remaining) reported = state
  }
  if (!reported) throw new Error('takeApiRequest needs at least one bucket')
  return reported
}

/** The RateLimit-* response headers (draft-ietf-httpapi-ratelimit-headers): limit, remaining, seconds to reset. */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return { 'RateLimit-Limit': String(state.limit), 'RateLimit-Remaining': String(state.remaining), 'RateLimit-Reset': String(state.resetSeconds) }
}
