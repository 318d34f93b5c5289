import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { signingKey } from '@/lib/api/signing-keys'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { GET as jwks } from './.well-known/jwks.json/route'
import { GET as discovery } from './.well-known/openid-configuration/route'

describe('issuer discovery (APIC-10)', () => {
  useTestDatabase()
  beforeAll(async () => {
    await setupOrganization()
  })

  it('describes the issuer with absolute URLs under APP_URL', async () => {
    const response = await discovery()
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      issuer: 'http://localhost:3000/identity',
      token_endpoint: 'http://localhost:3000/identity/connect/token',
      jwks_uri: 'http://localhost:3000/identity/.well-known/jwks.json',
      grant_types_supported: ['client_credentials'],
      response_types_supported: [],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
      claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id'],
    })
  })

  it('publishes EC P-256 public keys only, the signing one among them', async () => {
    const { kid } = await signingKey(await getDb())
    const response = await jwks(new Request('http://localhost:3000/identity/.well-known/jwks.json'))
    expect(response.status).toBe(200)
    const body = await response.json()
    expect(body.keys.map((k: { kid: string }) => k.kid)).toContain(kid)
    for (const key of body.keys) expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'])
  })
})
