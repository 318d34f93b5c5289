import 'server-only'
import { logger } from '../logger'
import { clientMeta } from '../request-meta'
import { mediaType, NO_STORE_HEADERS, readBodyText, traceIdOf } from './http'
import { issueClientToken } from './issue-client-token'
import { OAuthError, oauthErrorResponse } from './oauth'

// A token request is a few hundred bytes; anything much larger is not one.
const MAX_BODY_BYTES = 16 * 1024

/**
 * POST /identity/connect/token: the HTTP side of the client credentials grant. Answers are OAuth
 * JSON (RFC 6749 §5.1, §5.2), never cached; bad input is a 400 or 401, never a 500.
 */
export async function handleTokenRequest(request: Request): Promise<Response> {
  const traceId = traceIdOf(request)
  try {
    if (mediaType(request.headers.get('content-type')) !== 'application/x-www-form-urlencoded')
      throw new OAuthError('invalid_request', 'Send the token request as application/x-www-form-urlencoded.')
    const body = await readBodyText(request, MAX_BODY_BYTES)
    if (body === null) throw new OAuthError('invalid_request', 'The token request is too large.')
    const ctx = { actor: null, ...clientMeta(request.headers) }
    const token = await issueClientToken(ctx, new URLSearchParams(body), request.headers.get('authorization'))
    return Response.json(token, { status: 200, headers: { ...NO_STORE_HEADERS, 'X-Trace-Id': traceId } })
  } catch (error) {
    if (error instanceof OAuthError) return oauthErrorResponse(error, traceId)
    logger.error('token request failed', { traceId, error })
    return Response.json(
      { error: 'server_error', error_description: `The token could not be issued. Reference: ${traceId}.` },
      { status: 500, headers: { ...NO_STORE_HEADERS, 'X-Trace-Id': traceId } },
    )
  }
}
