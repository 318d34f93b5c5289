import 'server-only'
import { eq } from 'drizzle-orm'
import { errors, jwtVerify } from 'jose'
import { getDb, type Executor } from '@/db/client'
import { apiClients } from '@/db/schema'
import { now as clockNow } from '../clock'
import type { Ctx } from '../context'
import { UnauthenticatedError } from '../errors'
import { clientMeta } from '../request-meta'
import { CLOCK_SKEW_SECONDS, issuerUrl, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_LIFETIME_SECONDS, TOKEN_TYPE } from './access-tokens'
import { verificationKey } from './signing-keys'

/** A refused bearer token; `problemNumber` is the NN of its error code (lib/api/problem.ts). */
export class ApiAuthenticationError extends UnauthenticatedError {
  constructor(
    message: string,
    readonly problemNumber: 1 | 2 | 3 | 4,
    /** A token was presented and refused: the challenge says error="invalid_token" (RFC 6750 §3.1). */
    readonly invalidToken: boolean,
  ) {
    super(message)
  }
}

const missing = () => new ApiAuthenticationError('Send an access token in the Authorization header: Bearer <token>. Get one from the token endpoint.', 1, false)
const invalid = () => new ApiAuthenticationError('The access token is not valid.', 2, true)
const expired = () => new ApiAuthenticationError('The access token has expired. Request a new one from the token endpoint.', 3, true)

// RFC 6750 §2.1 b64token; a JWT is far shorter than the cap.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i
const MAX_TOKEN_LENGTH = 4096

/** Verifies signature (a published key), algorithm, type, issuer, audience and times; returns the client id. */
async function verifiedClientId(db: Executor, token: string, now: Date): Promise<string> {
  try {
    const { payload } = await jwtVerify(
      token,
      async (header) => {
        if (typeof header.kid !== 'string' || header.kid.length > 64) throw invalid()
        const key = await verificationKey(db, header.kid, now)
        if (!key) throw invalid()
        return key
      },
      {
        algorithms: [TOKEN_ALGORITHM],
        typ: TOKEN_TYPE,
        issuer: issuerUrl(),
        audience: TOKEN_AUDIENCE,
        currentDate: now,
        // Tolerated for nbf and iat in the future (another instance's clock); exp is checked exactly below.
        clockTolerance: CLOCK_SKEW_SECONDS,
        maxTokenAge: TOKEN_LIFETIME_SECONDS,
        requiredClaims: ['exp', 'iat', 'jti', 'sub', 'client_id'],
      },
    )
    if (typeof payload.client_id !== 'string' || payload.sub !== payload.client_id) throw invalid()
    if ((payload.exp as number) <= Math.floor(now.getTime() / 1000)) throw expired()
    return payload.client_id
  } catch (error) {
    if (error instanceof ApiAuthenticationError) throw error
    if (error instanceof errors.JWTExpired) throw expired()
    if (error instanceof errors.JOSEError) throw invalid()
    throw error // the database, not the token: a 500 with a trace id
  }
}

/**
 * Who is calling the REST API (APIC-13, APIC-4): a valid bearer token of an API client that exists
 * and is not suspended right now. The token carries no state: suspending refuses its tokens at
 * once, resuming makes the unexpired ones work again, and permissions are loaded by principalFor
 * on every call. Throws ApiAuthenticationError (401).
 */
export async function authenticateApiRequest(request: Request): Promise<Ctx> {
  const header = request.headers.get('authorization')
  if (header === null || header.trim() === '') throw missing()
  const token = BEARER.exec(header)?.[1]
  if (!token || token.length > MAX_TOKEN_LENGTH) throw invalid()
  const db = await getDb()
  const clientId = await verifiedClientId(db, token, clockNow())
  const [client] = await db.select({ key: apiClients.key, name: apiClients.name, suspendedAt: apiClients.suspendedAt }).from(apiClients).where(eq(apiClients.clientId, clientId))
  if (!client || client.suspendedAt) throw new ApiAuthenticationError('This API client is suspended or no longer exists.', 4, true)
  return { actor: { type: 'api_client', clientKey: client.key, label: client.name }, ...clientMeta(request.headers) }
}
