import 'server-only'
import { performance } from 'node:perf_hooks'
import { getDb } from '@/db/client'
import { now } from '../clock'
import type { Ctx } from '../context'
import { DomainError, RateLimitedError } from '../errors'
import { logger } from '../logger'
import { authenticateApiRequest } from './authenticate'
import { traceIdOf } from './http'
import { problemResponse, type ApiName } from './problem'
import { rateLimitHeaders, takeApiRequest, type RateLimitBucket, type RateLimitOutcome } from './rate-limit'

export type RouteParams = Record<string, string | string[] | undefined>

/** What Next.js passes a route handler besides the request. */
export type ApiRouteContext<P extends RouteParams> = { params: Promise<P> }

export type ApiOperation<P extends RouteParams> = (ctx: Ctx, request: Request, params: P) => Promise<Response>

export type ApiHandlerOptions = {
  api?: ApiName
  /** `bulk`: the call also counts in the organization's bulk creation bucket (POST /users/bulk, 5/min). */
  rateLimit?: Extract<RateLimitBucket, 'bulk'>
}

/**
 * A REST API route handler (APIC-5, API-1): authenticates the bearer token, takes the request from
 * the organization's rate limits (API-3), runs the operation, turns every error into an RFC 7807
 * problem (an unexpected one logged with its trace id and answered with nothing but that id), and
 * tags every answer with `X-Trace-Id`. Authorization happens in the use case the operation calls,
 * from the database, on every call (AUTHZ-5).
 *
 * Rate limits (lib/api/rate-limit.ts): every authenticated request is counted in its API's bucket
 * (`identity` or `gatehouse`, and `bulk` as well when the route says so) before the operation
 * runs, whatever the operation then answers (a 400 or 403 is a request served). A request refused
 * as unauthenticated (401) is not counted and carries no RateLimit-* headers: it is refused before
 * any counting, so bad tokens cannot use up an organization's allowance. A request over a limit is
 * counted as an attempt (the window is fixed, so that never prolongs the refusal) and answered 429
 * (RATE-42901) with Retry-After; the operation does not run. Every other answer carries
 * RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (seconds).
 *
 *   export const GET = apiHandler(async (ctx, request, { key }) => Response.json(await getUser(ctx, { key })))
 *   export const POST = apiHandler(createUsersInBulk, { api: 'identity', rateLimit: 'bulk' })
 */
export function apiHandler<P extends RouteParams = Record<string, never>>(operation: ApiOperation<P>, options: ApiHandlerOptions = {}) {
  const api = options.api ?? 'gatehouse'
  const buckets: RateLimitBucket[] = options.rateLimit ? [api, options.rateLimit] : [api]
  return async function handle(request: Request, context: ApiRouteContext<P>): Promise<Response> {
    const started = performance.now()
    const traceId = traceIdOf(request)
    const path = new URL(request.url).pathname
    let ctx: Ctx | undefined
    let rate: RateLimitOutcome | undefined
    let response: Response
    try {
      ctx = await authenticateApiRequest(request)
      rate = await takeApiRequest(await getDb(), { buckets, now: now() })
      if (!rate.allowed) throw new RateLimitedError(rateLimitMessage(rate), rate.resetSeconds)
      response = await operation(ctx, request, await context.params)
    } catch (error) {
      if (!(error instanceof DomainError)) logger.error('api request failed', { traceId, method: request.method, path, actor: ctx?.actor?.label ?? null, error })
      response = problemResponse(error, { api, traceId, instance: path })
    }
    response = withHeaders(response, { 'X-Trace-Id': traceId, ...(rate ? rateLimitHeaders(rate) : {}) })
    logger.info('api request', {
      traceId,
      method: request.method,
      path,
      status: response.status,
      ms: Math.round(performance.now() - started),
      clientKey: ctx?.actor?.type === 'api_client' ? ctx.actor.clientKey : null,
    })
    return response
  }
}

function rateLimitMessage(rate: RateLimitOutcome): string {
  const what = rate.bucket === 'bulk' ? 'bulk user creation requests' : `requests to the ${rate.bucket === 'identity' ? 'identity' : 'Gatehouse'} API`
  const seconds = rate.resetSeconds === 1 ? '1 second' : `${rate.resetSeconds} seconds`
  return `Too many requests: this organization may send ${rate.limit} ${what} a minute. Try again in ${seconds}.`
}

/** Adds headers (and no-store unless the operation chose its caching); copies a response whose headers are immutable. */
function withHeaders(response: Response, extra: Record<string, string>): Response {
  const apply = (headers: Headers) => {
    for (const [k, v] of Object.entries(extra)) headers.set(k, v)
    if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store')
  }
  try {
    apply(response.headers)
    return response
  } catch {
    const copy = new Response(response.body, response)
    apply(copy.headers)
    return copy
  }
}
