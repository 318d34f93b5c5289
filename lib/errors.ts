// Typed domain errors. Use cases throw them; one mapper turns them into form results
// (lib/actions.ts) and one into RFC 7807 problems for route handlers.

export type FieldErrors = Record<string, string[]>

export class DomainError extends Error {
  readonly status: number = 400
  readonly code: string = 'BadRequest'
}

export class ValidationError extends DomainError {
  override readonly status = 400
  override readonly code = 'ValidationFailed'
  constructor(
    message: string,
    readonly fieldErrors: FieldErrors = {},
  ) {
    super(message)
  }
}

export class UnauthenticatedError extends DomainError {
  override readonly status = 401
  override readonly code = 'Unauthenticated'
  constructor(message = 'Sign in to continue.') {
    super(message)
  }
}

export class ForbiddenError extends DomainError {
  override readonly status = 403
  override readonly code = 'Forbidden'
  constructor(
    message = 'You do not have permission to do this.',
    readonly reason?: string,
  ) {
    super(message)
  }
}

export class NotFoundError extends DomainError {
  override readonly status = 404
  override readonly code = 'NotFound'
  constructor(what = 'The record') {
    super(`${what} was not found. It may have been deleted.`)
  }
}

export class ConflictError extends DomainError {
  override readonly status = 409
  override readonly code = 'Conflict'
  constructor(
    message: string,
    readonly fieldErrors: FieldErrors = {},
  ) {
    super(message)
  }
}

export class PreconditionFailedError extends DomainError {
  override readonly status = 412
  override readonly code = 'PreconditionFailed'
}

export class RateLimitedError extends DomainError {
  override readonly status = 429
  override readonly code = 'TooManyRequests'
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message)
  }
}
