import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { insertApiClient, tokenRequest, type TestApiClient } from '@/lib/api/testing'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { GET as jwksRoute } from '../../.well-known/jwks.json/route'
import { POST } from './route'

async function oauthError(response: Response, status: number, error: string) {
  expect(response.status).toBe(status)
  expect(response.headers.get('cache-control')).toBe('no-store')
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  const text = await response.text()
  expect(text).not.toMatch(/\n\s+at |\.ts:\d+/) // never a stack trace
  const body = JSON.parse(text)
  expect(body).toEqual({ error, error_description: expect.any(String) })
  return body
}

describe('POST /identity/connect/token', () => {
  useTestDatabase()
  let client: TestApiClient
  beforeAll(async () => {
    await setupOrganization()
    client = await insertApiClient({ permissions: [{ slug: 'users.view_members' }] })
  })

  it('issues a 12-hour bearer token for client_secret_post, never cached', async () => {
    const response = await POST(tokenRequest({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret }))
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('pragma')).toBe('no-cache')
    const body = await response.json()
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type'])
    expect(body).toMatchObject({ expires_in: 43200, token_type: 'Bearer' })

    const header = decodeProtectedHeader(body.access_token)
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) })
    const claims = decodeJwt(body.access_token)
    expect(claims).toMatchObject({ iss: 'http://localhost:3000/identity', aud: 'gatehouse-api', sub: client.clientId, client_id: client.clientId })
    expect(claims.exp! - claims.iat!).toBe(43200)
    expect(Math.abs(claims.iat! - Date.now() / 1000)).toBeLessThan(30)
    expect(claims.jti).toMatch(/^[\w-]{20,}$/)
    // No permissions or client state travel in the token (APIC-4).
    expect(Object.keys(claims).sort()).toEqual(['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'sub'])

    // The JWKS publishes the key that signed it, and the signature verifies against it.
    const jwks = await (await jwksRoute(new Request('http://localhost:3000/identity/.well-known/jwks.json'))).json()
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toContain(header.kid)
    expect(JSON.stringify(jwks)).not.toMatch(/"d"/) // public halves only
    const verified = await jwtVerify(body.access_token, createLocalJWKSet(jwks), { issuer: 'http://localhost:3000/identity', audience: 'gatehouse-api' })
    expect(verified.payload.client_id).toBe(client.clientId)
  })

  it('issues a token for client_secret_basic; two tokens differ in their jti', async () => {
    const first = await POST(tokenRequest({ grant_type: 'client_credentials' }, { basic: { id: client.clientId, secret: client.secret } }))
    const second = await POST(tokenRequest({ grant_type: 'client_credentials' }, { basic: { id: client.clientId, secret: client.secret } }))
    expect(first.status).toBe(200)
    const [a, b] = [decodeJwt((await first.json()).access_token), decodeJwt((await second.json()).access_token)]
    expect(a.client_id).toBe(client.clientId)
    expect(a.jti).not.toBe(b.jti)
  })

  it('accepts a charset on the content type', async () => {
    const response = await POST(tokenRequest({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret }, { headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' } }))
    expect(response.status).toBe(200)
  })

  it('refuses other content types with invalid_request', async () => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret }).toString()
    const json = new Request('http://localhost:3000/identity/connect/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials' }) })
    await oauthError(await POST(json), 400, 'invalid_request')
    const none = new Request('http://localhost:3000/identity/connect/token', { method: 'POST', body: form })
    none.headers.delete('content-type')
    await oauthError(await POST(none), 400, 'invalid_request')
    const multipart = new FormData()
    multipart.set('grant_type', 'client_credentials')
    await oauthError(await POST(new Request('http://localhost:3000/identity/connect/token', { method: 'POST', body: multipart })), 400, 'invalid_request')
  })

  it('refuses a missing grant type with invalid_request and any other with unsupported_grant_type', async () => {
    await oauthError(await POST(tokenRequest({ client_id: client.clientId, client_secret: client.secret })), 400, 'invalid_request')
    for (const grant of ['password', 'authorization_code', 'refresh_token', 'CLIENT_CREDENTIALS'])
      await oauthError(await POST(tokenRequest({ grant_type: grant, client_id: client.clientId, client_secret: client.secret })), 400, 'unsupported_grant_type')
  })

  it('refuses missing credentials with invalid_client and a Basic challenge', async () => {
    const response = await POST(tokenRequest({ grant_type: 'client_credentials' }))
    await oauthError(response, 401, 'invalid_client')
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic /)
    await oauthError(await POST(tokenRequest({ grant_type: 'client_credentials', client_id: client.clientId })), 401, 'invalid_client')
  })

  it('refuses both methods at once, and a repeated parameter, with invalid_request', async () => {
    const both = tokenRequest({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret }, { basic: { id: client.clientId, secret: client.secret } })
    await oauthError(await POST(both), 400, 'invalid_request')
    const repeated = new Request('http://localhost:3000/identity/connect/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${client.clientId}&client_secret=${client.secret}&client_secret=other`,
    })
    await oauthError(await POST(repeated), 400, 'invalid_request')
  })

  it('answers a wrong secret, an unknown client, an expired secret and a suspended client alike: 401 invalid_client', async () => {
    const expired = await insertApiClient({ secretExpiresAt: new Date(Date.now() - 1000) })
    const suspended = await insertApiClient({ suspended: true })
    const attempts = [
      { id: client.clientId, secret: `${client.secret}x` },
      { id: '0'.repeat(32), secret: client.secret },
      { id: expired.clientId, secret: expired.secret },
      { id: suspended.clientId, secret: suspended.secret },
    ]
    const descriptions = new Set<string>()
    for (const { id, secret } of attempts) {
      const post = await POST(tokenRequest({ grant_type: 'client_credentials', client_id: id, client_secret: secret }))
      descriptions.add((await oauthError(post, 401, 'invalid_client')).error_description)
      expect(post.headers.get('www-authenticate')).toBeNull()
      const basic = await POST(tokenRequest({ grant_type: 'client_credentials' }, { basic: { id, secret } }))
      descriptions.add((await oauthError(basic, 401, 'invalid_client')).error_description)
      expect(basic.headers.get('www-authenticate')).toMatch(/^Basic realm=/)
    }
    expect(descriptions.size).toBe(1) // nothing tells which it was
  })

  it('refuses a malformed Basic header and an oversized body without a 500', async () => {
    const malformed = tokenRequest({ grant_type: 'client_credentials' }, { headers: { authorization: 'Basic %%%' } })
    await oauthError(await POST(malformed), 401, 'invalid_client')
    const huge = tokenRequest({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'x'.repeat(40_000) })
    await oauthError(await POST(huge), 400, 'invalid_request')
    const garbage = new Request('http://localhost:3000/identity/connect/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '%%%&&&=\u0000=%E0%A4%A' })
    await oauthError(await POST(garbage), 400, 'invalid_request')
  })

  it('answers generated bad input with 400 or 401, never a 500 (Q-3)', async () => {
    let seed = 42
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    const pick = <T,>(xs: T[]) => xs[Math.floor(random() * xs.length)]
    const junk = () => Array.from({ length: Math.floor(random() * 40) }, () => String.fromCharCode(Math.floor(random() * 0x2ff))).join('')
    const values = () => pick(['', 'client_credentials', client.clientId, client.secret, junk(), '%', '%E0%A4%A', 'a'.repeat(300), encodeURIComponent(junk())])
    for (let i = 0; i < 300; i++) {
      const pairs = Array.from({ length: Math.floor(random() * 5) }, () => `${pick(['grant_type', 'client_id', 'client_secret', 'scope', junk()])}=${values()}`)
      const headers: Record<string, string> = { 'content-type': pick(['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded;charset=latin1', 'text/plain', 'application/json', '']) }
      if (random() < 0.4) headers.authorization = pick(['Basic ', 'Bearer x', `Basic ${Buffer.from(`${values()}:${values()}`).toString('base64')}`, `Basic ${junk().replace(/[^\x20-\x7e]/g, '')}`])
      const request = new Request('http://localhost:3000/identity/connect/token', { method: 'POST', headers, body: pairs.join(pick(['&', ';', '&&'])) })
      const response = await POST(request)
      expect([400, 401]).toContain(response.status)
      expect(await response.json()).toMatchObject({ error: expect.stringMatching(/^(invalid_request|invalid_client|unsupported_grant_type)$/) })
    }
  })
})
