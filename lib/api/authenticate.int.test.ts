import { generateKeyPair, SignJWT, type CryptoKey } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { systemCtx } from '../context'
import { ApiAuthenticationError, authenticateApiRequest } from './authenticate'
import { issueClientToken } from './issue-client-token'
import { signingKey } from './signing-keys'
import { insertApiClient, type TestApiClient } from './testing'

const ISSUER = 'http://localhost:3000/identity'
const withToken = (authorization: string | null) =>
  new Request('http://localhost:3000/api/gatehouse/v1/whoami', { headers: { ...(authorization === null ? {} : { authorization }), 'user-agent': 'test-agent', 'x-forwarded-for': '198.51.100.7' } })

async function tokenFor(client: TestApiClient, at?: Date): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret })
  return (await issueClientToken(systemCtx('test', at ? { now: () => at } : {}), form)).access_token
}

/** A token with chosen claims and header, signed with `key` (the real signing key unless given). */
async function forged(client: TestApiClient, opts: { key?: CryptoKey; kid?: string; claims?: Record<string, unknown>; iat?: number; exp?: number; typ?: string | null; alg?: string } = {}) {
  const signer = await signingKey(await getDb())
  const now = Math.floor(Date.now() / 1000)
  const header: Record<string, unknown> = { alg: opts.alg ?? 'ES256', kid: opts.kid ?? signer.kid }
  if (opts.typ !== null) header.typ = opts.typ ?? 'at+jwt'
  return new SignJWT({ iss: ISSUER, aud: 'gatehouse-api', sub: client.clientId, client_id: client.clientId, jti: 'test-jti', iat: opts.iat ?? now, exp: opts.exp ?? now + 3600, ...opts.claims })
    .setProtectedHeader(header as { alg: string })
    .sign(opts.key ?? signer.privateKey)
}

async function refusal(authorization: string | null): Promise<ApiAuthenticationError> {
  const error = await authenticateApiRequest(withToken(authorization)).then(
    () => null,
    (e) => e,
  )
  expect(error).toBeInstanceOf(ApiAuthenticationError)
  expect(error.status).toBe(401)
  return error
}

describe('authenticateApiRequest', () => {
  useTestDatabase()
  let client: TestApiClient
  beforeAll(async () => {
    await setupOrganization()
    client = await insertApiClient({ name: 'CI pipeline' })
  })

  it('a valid token of an available client acts as that client, with the request metadata', async () => {
    const ctx = await authenticateApiRequest(withToken(`Bearer ${await tokenFor(client)}`))
    expect(ctx.actor).toEqual({ type: 'api_client', clientKey: client.key, label: 'CI pipeline' })
    expect(ctx).toMatchObject({ ip: '198.51.100.7', userAgent: 'test-agent' })
    // scheme case-insensitive (RFC 7235)
    expect((await authenticateApiRequest(withToken(`bearer ${await tokenFor(client)}`))).actor).toMatchObject({ clientKey: client.key })
  })

  it('no token: 401 without an invalid_token challenge', async () => {
    expect(await refusal(null)).toMatchObject({ problemNumber: 1, invalidToken: false })
    expect(await refusal('  ')).toMatchObject({ problemNumber: 1 })
  })

  it('a malformed Authorization header or token: 401 invalid', async () => {
    const token = await tokenFor(client)
    for (const header of ['Bearer', 'Bearer ', `Basic ${token}`, `Bearer ${token} extra`, 'Bearer not-a-jwt', 'Bearer a.b.c', `Bearer ${token.slice(0, -3)}`, `Bearer ${'a'.repeat(5000)}`])
      expect(await refusal(header)).toMatchObject({ problemNumber: 2, invalidToken: true })
  })

  it('a token signed by another key: 401, whether its kid is published or unknown', async () => {
    const { privateKey } = await generateKeyPair('ES256')
    expect((await refusal(`Bearer ${await forged(client, { key: privateKey })}`)).problemNumber).toBe(2)
    expect((await refusal(`Bearer ${await forged(client, { key: privateKey, kid: 'someone-elses-key' })}`)).problemNumber).toBe(2)
  })

  it('a token with another algorithm, type, issuer or audience: 401', async () => {
    const { privateKey: rsa } = await generateKeyPair('RS256')
    expect((await refusal(`Bearer ${await forged(client, { key: rsa, alg: 'RS256' })}`)).problemNumber).toBe(2)
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${Buffer.from(JSON.stringify({ iss: ISSUER, aud: 'gatehouse-api', sub: client.clientId, client_id: client.clientId })).toString('base64url')}.`
    expect((await refusal(`Bearer ${none}`)).problemNumber).toBe(2)
    expect((await refusal(`Bearer ${await forged(client, { typ: null })}`)).problemNumber).toBe(2)
    expect((await refusal(`Bearer ${await forged(client, { typ: 'JWT' })}`)).problemNumber).toBe(2)
    expect((await refusal(`Bearer ${await forged(client, { claims: { iss: 'https://evil.example/identity' } })}`)).problemNumber).toBe(2)
    expect((await refusal(`Bearer ${await forged(client, { claims: { aud: 'another-api' } })}`)).problemNumber).toBe(2)
    expect((await refusal(`Bearer ${await forged(client, { claims: { sub: '0'.repeat(32) } })}`)).problemNumber).toBe(2)
    expect((await refusal(`Bearer ${await forged(client, { claims: { jti: undefined } })}`)).problemNumber).toBe(2)
  })

  it('an expired token: 401 expired, also one issued 13 hours ago by the real endpoint', async () => {
    const now = Math.floor(Date.now() / 1000)
    expect((await refusal(`Bearer ${await forged(client, { iat: now - 3600, exp: now - 1 })}`)).problemNumber).toBe(3)
    expect((await refusal(`Bearer ${await tokenFor(client, new Date(Date.now() - 13 * 3600_000))}`)).problemNumber).toBe(3)
    // Still valid one minute before its end.
    expect((await authenticateApiRequest(withToken(`Bearer ${await tokenFor(client, new Date(Date.now() - 43_140_000))}`))).actor).toMatchObject({ clientKey: client.key })
    // A long exp does not outlive the 12-hour lifetime counted from iat.
    expect((await refusal(`Bearer ${await forged(client, { iat: now - 13 * 3600, exp: now + 3600 })}`)).problemNumber).toBe(3)
  })

  it('iat or nbf in the future: tolerated within 5 minutes of skew, refused beyond', async () => {
    const now = Math.floor(Date.now() / 1000)
    expect((await authenticateApiRequest(withToken(`Bearer ${await forged(client, { iat: now + 120 })}`))).actor).toMatchObject({ clientKey: client.key })
    expect((await refusal(`Bearer ${await forged(client, { iat: now + 600 })}`)).problemNumber).toBe(2)
    expect((await refusal(`Bearer ${await forged(client, { claims: { nbf: now + 600 } })}`)).problemNumber).toBe(2)
  })

  it('a suspended or unknown client: 401 at once', async () => {
    const suspended = await insertApiClient({ suspended: true })
    // Signed correctly, but the client is suspended now.
    expect((await refusal(`Bearer ${await forged(suspended)}`)).problemNumber).toBe(4)
    expect((await refusal(`Bearer ${await forged(client, { claims: { sub: 'f'.repeat(32), client_id: 'f'.repeat(32) } })}`)).problemNumber).toBe(4)
  })
})
