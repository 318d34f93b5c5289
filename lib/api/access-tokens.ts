import 'server-only'
import { randomBytes } from 'node:crypto'
import { SignJWT, type CryptoKey } from 'jose'
import { env } from '../env'

// API access tokens (APIC-3, RFC 9068 "JWT profile for OAuth 2.0 access tokens"): ES256, typ
// at+jwt, iss/aud/sub/client_id/iat/exp/jti. They carry no permissions and no client state: every
// request re-reads the client (APIC-4), so suspending, resuming or changing permissions applies to
// the next call whatever the token says.

export const TOKEN_ALGORITHM = 'ES256'
export const TOKEN_TYPE = 'at+jwt'
export const TOKEN_AUDIENCE = 'gatehouse-api'
/** 12 hours, like ODC (APIC-12), whenever the secret expires. */
export const TOKEN_LIFETIME_SECONDS = 43_200
/** How far a verifier's clock may differ from the issuer's (nbf and iat in the future, exp just past). */
export const CLOCK_SKEW_SECONDS = 300

/** APP_URL without a trailing slash; every absolute URL of the API starts here. */
export const appBaseUrl = (): string => env().APP_URL.replace(/\/+$/, '')

/** The issuer, as ODC serves it: discovery lives at `<issuer>/.well-known/openid-configuration`. */
export const issuerUrl = (): string => `${appBaseUrl()}/identity`

export type Signer = { kid: string; privateKey: CryptoKey }

export type AccessTokenClaims = { iss: string; aud: string; sub: string; client_id: string; iat: number; exp: number; jti: string }

/** Signs an access token for `clientId` issued at `issuedAt`. */
export async function signAccessToken(signer: Signer, clientId: string, issuedAt: Date): Promise<string> {
  const iat = Math.floor(issuedAt.getTime() / 1000)
  return new SignJWT({ client_id: clientId })
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: TOKEN_TYPE, kid: signer.kid })
    .setIssuer(issuerUrl())
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(clientId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + TOKEN_LIFETIME_SECONDS)
    .setJti(randomBytes(16).toString('base64url'))
    .sign(signer.privateKey)
}
