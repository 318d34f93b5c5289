import { describe, expect, it } from 'vitest'
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, RateLimitedError, UnauthenticatedError, ValidationError } from '../errors'
import { errorCode, problemFor, problemResponse, UnsupportedMediaTypeError } from './problem'

const opts = { api: 'identity' as const, traceId: 'a'.repeat(32), instance: '/api/identity/v1/users' }

describe('RFC 7807 problems', () => {
  it('validation: 400 with the field errors in `errors`', () => {
    const p = problemFor(new ValidationError('Some fields need attention.', { limit: ['limit must be a whole number from 1 to 100.'] }), opts)
    expect(p).toEqual({
      type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
      title: 'One or more validation errors occurred.',
      status: 400,
      detail: 'Some fields need attention.',
      instance: '/api/identity/v1/users',
      traceId: opts.traceId,
      errorCode: 'GH-ID-VAL-40001',
      errors: { limit: ['limit must be a whole number from 1 to 100.'] },
    })
  })

  it('maps each domain error to its status and code', () => {
    expect(problemFor(new UnauthenticatedError(), opts)).toMatchObject({ status: 401, errorCode: 'GH-ID-AUTH-40101' })
    expect(problemFor(new ForbiddenError('No.'), opts)).toMatchObject({ status: 403, errorCode: 'GH-ID-PERM-40301', detail: 'No.' })
    expect(problemFor(new NotFoundError('The user'), opts)).toMatchObject({ status: 404, errorCode: 'GH-ID-NF-40401' })
    expect(problemFor(new ConflictError('Taken.'), { ...opts, api: 'gatehouse' })).toMatchObject({ status: 409, errorCode: 'GH-GH-CONF-40901' })
    expect(problemFor(new PreconditionFailedError('Stale.'), opts)).toMatchObject({ status: 412, errorCode: 'GH-ID-BIZ-41201' })
    expect(problemFor(new UnsupportedMediaTypeError('JSON only.'), opts)).toMatchObject({ status: 415, errorCode: 'GH-ID-REQ-41501' })
    expect(problemFor(new RateLimitedError('Slow down.', 12), opts)).toMatchObject({ status: 429, errorCode: 'GH-ID-RATE-42901' })
    expect(errorCode('identity', 401, 4)).toBe('GH-ID-AUTH-40104')
  })

  it('an unexpected error is a 500 that says nothing but the trace id', () => {
    const error = new Error('connection to 10.0.0.5 refused; password=hunter2')
    const p = problemFor(error, opts)
    expect(p).toMatchObject({ status: 500, errorCode: 'GH-ID-SYS-50001', traceId: opts.traceId })
    expect(JSON.stringify(p)).not.toMatch(/10\.0\.0\.5|hunter2|at .*\.ts/)
    expect(p).not.toHaveProperty('errors')
  })

  it('responses are application/json with the trace id, a Bearer challenge on 401 and Retry-After on 429', async () => {
    const unauthorized = problemResponse(new UnauthenticatedError(), opts)
    expect(unauthorized.headers.get('content-type')).toMatch(/^application\/json/)
    expect(unauthorized.headers.get('x-trace-id')).toBe(opts.traceId)
    expect(unauthorized.headers.get('www-authenticate')).toMatch(/^Bearer /)
    expect(problemResponse(new RateLimitedError('Slow down.', 12.2), opts).headers.get('retry-after')).toBe('13')
    expect(await problemResponse(new NotFoundError(), opts).json()).toMatchObject({ status: 404 })
  })
})
