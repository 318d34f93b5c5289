import 'server-only'
import type { JWK } from 'jose'
import { getDb } from '@/db/client'
import { nowOf, type Ctx } from '../context'
import { issuerUrl, TOKEN_ALGORITHM } from './access-tokens'
import { publishedKeys } from './signing-keys'

/**
 * The issuer's metadata (APIC-10; OpenID Connect Discovery 1.0 and RFC 8414), served where ODC
 * serves it. Only the client credentials grant exists today, so there is no authorization
 * endpoint and no response type; the stages' own OpenID Connect issuers (HOST-3) come later.
 */
export function discoveryDocument() {
  const issuer = issuerUrl()
  return {
    issuer,
    token_endpoint: `${issuer}/connect/token`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    grant_types_supported: ['client_credentials'],
    response_types_supported: [] as string[],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    // Required by OpenID Connect Discovery; the same algorithm signs the access tokens.
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [TOKEN_ALGORITHM],
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id'],
  }
}

/** The published signing keys (APIC-3): the current one and retired ones whose tokens may still be live. */
export async function jsonWebKeySet(ctx: Ctx): Promise<{ keys: JWK[] }> {
  const db = ctx.tx ?? (await getDb())
  return { keys: (await publishedKeys(db, nowOf(ctx))).map((k) => k.jwk) }
}
