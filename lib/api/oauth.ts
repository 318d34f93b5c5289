import { DomainError } from '../errors'
import { NO_STORE_HEADERS } from './http'

// OAuth 2.0 token endpoint errors (RFC 6749 §5.2) and client authentication (§2.3.1): the client
// authenticates with client_secret_post (client_id and client_secret in the form) or
// client_secret_basic (HTTP Basic, each part form-url-encoded before base64) — one of them, once.

export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type'

export const BASIC_CHALLENGE = 'Basic realm="Gatehouse", charset="UTF-8"'

export class OAuthError extends DomainError {
  override readonly status: number
  override readonly code: string
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    /** Answer with `WWW-Authenticate: Basic`: the client used Basic, or did not authenticate at all. */
    readonly basicChallenge = false,
  ) {
    super(description)
    this.status = error === 'invalid_client' ? 401 : 400
    this.code = error
  }
}

export function oauthErrorResponse(e: OAuthError, traceId: string): Response {
  const headers: Record<string, string> = { ...NO_STORE_HEADERS, 'X-Trace-Id': traceId }
  if (e.basicChallenge) headers['WWW-Authenticate'] = BASIC_CHALLENGE
  return Response.json({ error: e.error, error_description: e.description }, { status: e.status, headers })
}

/** A form parameter sent at most once; an empty value counts as absent (RFC 6749 §3.1, §3.2). */
export function singleParam(form: URLSearchParams, name: string): string | undefined {
  const values = form.getAll(name)
  if (values.length > 1) throw new OAuthError('invalid_request', `The parameter ${name} was sent more than once.`)
  return values[0] || undefined
}

/** Every parameter at most once (RFC 6749 §3.2: "MUST NOT be included more than once"). */
export function assertNoRepeatedParams(form: URLSearchParams): void {
  for (const name of new Set(form.keys())) singleParam(form, name)
}

export type ClientCredentials = { clientId: string; clientSecret: string; method: 'client_secret_basic' | 'client_secret_post' }

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

function formDecode(part: string): string | null {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '))
  } catch {
    return null
  }
}

function basicCredentials(authorization: string): { clientId: string; clientSecret: string } {
  const refused = new OAuthError('invalid_client', 'The Authorization header must be HTTP Basic with the form-encoded client id and secret.', true)
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(authorization)
  if (!match || match[1].toLowerCase() !== 'basic' || !BASE64.test(match[2]) || match[2].length % 4 !== 0) throw refused
  const decoded = Buffer.from(match[2], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) throw refused
  const clientId = formDecode(decoded.slice(0, colon))
  const clientSecret = formDecode(decoded.slice(colon + 1))
  if (!clientId || !clientSecret) throw refused
  return { clientId, clientSecret }
}

/** The client's credentials from the form or the Authorization header; refuses none, both, or a malformed header. */
export function clientCredentials(form: URLSearchParams, authorization: string | null): ClientCredentials {
  const postId = singleParam(form, 'client_id')
  const postSecret = singleParam(form, 'client_secret')
  if (authorization !== null && authorization.trim() !== '') {
    if (postSecret !== undefined) throw new OAuthError('invalid_request', 'Authenticate the client one way: HTTP Basic or client_id and client_secret in the body, not both.')
    const basic = basicCredentials(authorization)
    // RFC 6749 lets a client repeat its id in the body; a different id is a contradiction.
    if (postId !== undefined && postId !== basic.clientId) throw new OAuthError('invalid_request', 'The client_id in the body differs from the one in the Authorization header.')
    return { ...basic, method: 'client_secret_basic' }
  }
  if (postId === undefined || postSecret === undefined)
    throw new OAuthError('invalid_client', 'Authenticate the client: client_id and client_secret in the body, or HTTP Basic.', true)
  return { clientId: postId, clientSecret: postSecret, method: 'client_secret_post' }
}
