import 'server-only'
import { performance } from 'node:perf_hooks'
import type { Ctx } from '../context'
import { DomainError } from '../errors'
import { logger } from '../logger'
import { authenticateApiRequest } from './authenticate'
import { traceIdOf } from './http'
import { problemResponse, type ApiName } from './problem'

export type RouteParams = Record<string, string | string[] | undefined>

/** What Next.js passes a route handler besides the request. */
export type ApiRouteContext<P extends RouteParams> = { params: Promise<P> }

export type ApiOperation<P extends RouteParams> = (ctx: Ctx, request: Request, params: P) => Promise<Response>

/**
 * A REST API route handler (APIC-5, API-1): authenticates the bearer token, runs the operation,
 * turns every error into an RFC 7807 problem (an unexpected one logged with its trace id and
 * answered with nothing but that id), and tags every answer with `X-Trace-Id`. Authorization
 * happens in the use case the operation calls, from the database, on every call (AUTHZ-5).
 *
 *   export const GET = apiHandler(async (ctx, request, { key }) => Response.json(await getUser(ctx, { key })))
 */
export function apiHandler<P extends RouteParams = Record<string, never>>(operation: ApiOperation<P>, options: { api?: ApiName } = {}) {
  const api = options.api ?? 'gatehouse'
  return async function handle(request: Request, context: ApiRouteContext<P>): Promise<Response> {
    const started = performance.now()
    const traceId = traceIdOf(request)
    const path = new URL(request.url).pathname
    let ctx: Ctx | undefined
    let response: Response
    try {
      ctx = await authenticateApiRequest(request)
      response = await operation(ctx, request, await context.params)
    } catch (error) {
      if (!(error instanceof DomainError)) logger.error('api request failed', { traceId, method: request.method, path, actor: ctx?.actor?.label ?? null, error })
      response = problemResponse(error, { api, traceId, instance: path })
    }
    response = withHeaders(response, { 'X-Trace-Id': traceId })
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
