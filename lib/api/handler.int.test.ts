import { beforeAll, describe, expect, it, vi } from 'vitest'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { systemCtx } from '../context'
import { ForbiddenError, ValidationError } from '../errors'
import { logger } from '../logger'
import { apiHandler } from './handler'
import { issueClientToken } from './issue-client-token'
import { limitParam, parseQuery, querySchema } from './query'
import { insertApiClient } from './testing'

describe('apiHandler', () => {
  useTestDatabase()
  let token: string
  beforeAll(async () => {
    await setupOrganization()
    const client = await insertApiClient()
    token = (await issueClientToken(systemCtx('test'), new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret }))).access_token
  })

  const request = (path: string) => new Request(`http://localhost:3000${path}`, { headers: { authorization: `Bearer ${token}` } })

  it('passes the context, the request and the awaited route parameters', async () => {
    const handler = apiHandler<{ key: string }>(async (ctx, req, params) => Response.json({ actor: ctx.actor?.type, url: new URL(req.url).pathname, key: params.key }), { api: 'identity' })
    const response = await handler(request('/api/identity/v1/users/abc'), { params: Promise.resolve({ key: 'abc' }) })
    expect(await response.json()).toEqual({ actor: 'api_client', url: '/api/identity/v1/users/abc', key: 'abc' })
    expect(response.headers.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/)
  })

  it('an unexpected error: 500 with only a trace id, logged with the error', async () => {
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => {})
    const handler = apiHandler(async () => {
      throw new Error('relation "secret_table" does not exist at 10.1.2.3')
    }, { api: 'identity' })
    const response = await handler(request('/api/identity/v1/users'), { params: Promise.resolve({}) })
    expect(response.status).toBe(500)
    const text = await response.text()
    expect(text).not.toMatch(/secret_table|10\.1\.2\.3|\n\s+at /)
    const body = JSON.parse(text)
    expect(body).toMatchObject({ status: 500, errorCode: 'GH-ID-SYS-50001', traceId: response.headers.get('x-trace-id'), instance: '/api/identity/v1/users' })
    expect(body.detail).toContain(body.traceId)
    expect(logged).toHaveBeenCalledWith('api request failed', expect.objectContaining({ traceId: body.traceId, error: expect.any(Error) }))
  })

  it('domain errors become their problems: validation with field errors, forbidden', async () => {
    const list = apiHandler(async (_ctx, req) => Response.json(parseQuery(querySchema({ limit: limitParam }), req)), { api: 'identity' })
    const bad = await list(request('/api/identity/v1/users?limit=500'), { params: Promise.resolve({}) })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ errorCode: 'GH-ID-VAL-40001', errors: { limit: ['limit must be a whole number from 1 to 100.'] } })
    const forbidden = apiHandler(async () => {
      throw new ForbiddenError('You do not have permission to do this (users.manage).')
    })
    const refused = await forbidden(request('/api/gatehouse/v1/things'), { params: Promise.resolve({}) })
    expect(await refused.json()).toMatchObject({ status: 403, errorCode: 'GH-GH-PERM-40301', detail: 'You do not have permission to do this (users.manage).' })
    const invalid = apiHandler(async () => {
      throw new ValidationError('Some fields need attention.', { email: ['Enter a valid email address.'] })
    })
    expect(await (await invalid(request('/x'), { params: Promise.resolve({}) })).json()).toMatchObject({ status: 400, errors: { email: ['Enter a valid email address.'] } })
  })

  it('does not run the operation for an unauthenticated request', async () => {
    const operation = vi.fn(async () => Response.json({}))
    const handler = apiHandler(operation)
    const response = await handler(new Request('http://localhost:3000/api/gatehouse/v1/whoami'), { params: Promise.resolve({}) })
    expect(response.status).toBe(401)
    expect(operation).not.toHaveBeenCalled()
  })
})
