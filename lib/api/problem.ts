import { ConflictError, DomainError, RateLimitedError, type FieldErrors } from '../errors'

// RFC 7807 problem details for the REST APIs (REST-10), in the shape ODC answers with:
// { type, title, status, detail, instance, traceId, errorCode }, plus `errors` (field → messages)
// on a validation failure. The content type is application/json, as ODC's OpenAPI declares it,
// rather than application/problem+json, so clients generated from that file parse it.
//
// errorCode: GH-<API>-<CATEGORY>-<STATUS><NN>
//   GH        Gatehouse (ODC's own codes start with OS-, e.g. OS-ID-BIZ-40001)
//   API       ID for the identity API (/api/identity/v1), GH for our extensions (/api/gatehouse/v1)
//   CATEGORY  VAL input that fails validation · AUTH no or bad credentials · PERM permission missing ·
//             NF not found · REQ the request itself (method, media type, size) · CONF conflict ·
//             BIZ a business rule or precondition · RATE rate limit · SYS our failure
//   STATUS    the HTTP status; NN numbers reasons within it, 01 being the general one
// Assigned so far (the same numbers under either API):
//   VAL-40001 invalid parameters or body        AUTH-40101 no access token / not authenticated
//   AUTH-40102 access token not valid            AUTH-40103 access token expired
//   AUTH-40104 API client suspended or deleted   PERM-40301 permission missing
//   NF-40401 not found                           CONF-40901 conflict
//   BIZ-41201 precondition failed                REQ-41501 unsupported media type
//   REQ-41301 body too large                     RATE-42901 rate limit reached
//   CONF-40902 the change takes access away (or ends sessions): repeat it with `confirm`
//   SYS-50001 unexpected error (see traceId in the logs)
// A published code keeps its meaning; a new reason takes the next number.

export type ApiName = 'identity' | 'gatehouse'

export type Problem = {
  type: string
  title: string
  status: number
  detail: string | null
  instance: string | null
  traceId: string
  errorCode: string
  errors?: FieldErrors
}

/** A domain error that names its reason within its status (the NN of the error code). */
export type NumberedError = DomainError & { problemNumber?: number }

const KINDS: Record<number, { category: string; title: string; type: string }> = {
  400: { category: 'VAL', title: 'One or more validation errors occurred.', type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1' },
  401: { category: 'AUTH', title: 'Unauthorized', type: 'https://tools.ietf.org/html/rfc9110#section-15.5.2' },
  403: { category: 'PERM', title: 'Forbidden', type: 'https://tools.ietf.org/html/rfc9110#section-15.5.4' },
  404: { category: 'NF', title: 'Not Found', type: 'https://tools.ietf.org/html/rfc9110#section-15.5.5' },
  405: { category: 'REQ', title: 'Method Not Allowed', type: 'https://tools.ietf.org/html/rfc9110#section-15.5.6' },
  409: { category: 'CONF', title: 'Conflict', type: 'https://tools.ietf.org/html/rfc9110#section-15.5.10' },
  412: { category: 'BIZ', title: 'Precondition Failed', type: 'https://tools.ietf.org/html/rfc9110#section-15.5.13' },
  413: { category: 'REQ', title: 'Content Too Large', type: 'https://tools.ietf.org/html/rfc9110#section-15.5.14' },
  415: { category: 'REQ', title: 'Unsupported Media Type', type: 'https://tools.ietf.org/html/rfc9110#section-15.5.16' },
  429: { category: 'RATE', title: 'Too Many Requests', type: 'https://tools.ietf.org/html/rfc6585#section-4' },
  500: { category: 'SYS', title: 'An error occurred while processing your request.', type: 'https://tools.ietf.org/html/rfc9110#section-15.6.1' },
}

const apiCode = (api: ApiName) => (api === 'identity' ? 'ID' : 'GH')

export function errorCode(api: ApiName, status: number, number = 1): string {
  const category = KINDS[status]?.category ?? (status >= 500 ? 'SYS' : 'BIZ')
  return `GH-${apiCode(api)}-${category}-${status}${String(number).padStart(2, '0')}`
}

/** A request's body was refused for its media type (REST-1 accepts application/json and application/*+json). */
export class UnsupportedMediaTypeError extends DomainError {
  override readonly status = 415
  override readonly code = 'UnsupportedMediaType'
}

/** A request's body is larger than the endpoint accepts. */
export class PayloadTooLargeError extends DomainError {
  override readonly status = 413
  override readonly code = 'PayloadTooLarge'
}

/**
 * A change that would take something away (end-user roles, members' app roles, live sessions) and
 * was not confirmed: nothing was changed. `errors.confirm` says what would be lost, one line each,
 * so a script can show it before repeating the request with `confirm`.
 */
export class ConfirmationRequiredError extends ConflictError {
  readonly problemNumber = 2
  constructor(message: string, losses: string[]) {
    super(message, { confirm: losses })
  }
}

export type ProblemOptions = { api: ApiName; traceId: string; instance?: string | null }

/**
 * The problem for an error. A DomainError's message is written for the caller and goes into
 * `detail`; anything else is our failure and says nothing but the trace id (the caller logs it).
 */
export function problemFor(error: unknown, { api, traceId, instance = null }: ProblemOptions): Problem {
  if (!(error instanceof DomainError) || !KINDS[error.status] || error.status >= 500) {
    const kind = KINDS[500]
    return { type: kind.type, title: kind.title, status: 500, detail: `Something went wrong on our side. Quote the trace id ${traceId} when you report it.`, instance, traceId, errorCode: errorCode(api, 500) }
  }
  const kind = KINDS[error.status]
  const problem: Problem = {
    type: kind.type,
    title: kind.title,
    status: error.status,
    detail: error.message || null,
    instance,
    traceId,
    errorCode: errorCode(api, error.status, (error as NumberedError).problemNumber ?? 1),
  }
  const fieldErrors = 'fieldErrors' in error ? (error.fieldErrors as FieldErrors | undefined) : undefined
  if (fieldErrors && Object.keys(fieldErrors).length) problem.errors = fieldErrors
  return problem
}

/** The headers a problem needs beyond its body: a Bearer challenge on 401 (RFC 6750), Retry-After on 429. */
export function problemHeaders(error: unknown, status: number): Record<string, string> {
  const headers: Record<string, string> = {}
  if (status === 401) {
    const invalidToken = error instanceof DomainError && (error as { invalidToken?: boolean }).invalidToken === true
    headers['WWW-Authenticate'] = invalidToken ? 'Bearer realm="gatehouse-api", error="invalid_token"' : 'Bearer realm="gatehouse-api"'
  }
  if (error instanceof RateLimitedError) headers['Retry-After'] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)))
  return headers
}

export function problemResponse(error: unknown, options: ProblemOptions): Response {
  const problem = problemFor(error, options)
  return Response.json(problem, {
    status: problem.status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Trace-Id': options.traceId, ...problemHeaders(error, problem.status) },
  })
}
