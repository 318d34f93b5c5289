import 'server-only'
import { getDb } from '@/db/client'
import { authenticateClientSecret } from '../api-clients/authenticate'
import { nowOf, type Ctx } from '../context'
import { logger } from '../logger'
import { signAccessToken, TOKEN_LIFETIME_SECONDS } from './access-tokens'
import { assertNoRepeatedParams, clientCredentials, OAuthError, singleParam } from './oauth'
import { signingKey } from './signing-keys'

export type TokenResponse = { access_token: string; expires_in: number; token_type: 'Bearer' }

/**
 * OAuth 2.0 client credentials grant (APIC-3, APIC-11): a form with grant_type=client_credentials
 * and the client's credentials (in the form or in `authorization`, HTTP Basic) → a 12-hour access
 * token. Every refusal of the client — unknown id, wrong, expired or retired secret, suspended
 * client — is the same `invalid_client`, so the answer reveals nothing about which it was.
 *
 * Not audited (one event per token would drown the trail) and not a transaction: it only reads,
 * apart from making the very first signing key, which commits on its own. Nothing secret is logged.
 */
export async function issueClientToken(ctx: Ctx, form: URLSearchParams, authorization: string | null = null): Promise<TokenResponse> {
  assertNoRepeatedParams(form)
  const grantType = singleParam(form, 'grant_type')
  if (grantType === undefined) throw new OAuthError('invalid_request', 'The parameter grant_type is required.')
  if (grantType !== 'client_credentials') throw new OAuthError('unsupported_grant_type', 'Only grant_type=client_credentials is supported.')
  const credentials = clientCredentials(form, authorization)

  const db = ctx.tx ?? (await getDb())
  const now = nowOf(ctx)
  const client = await authenticateClientSecret(db, credentials.clientId, credentials.clientSecret, now)
  if (!client) {
    logger.info('token request refused', { clientId: credentials.clientId.slice(0, 64), method: credentials.method, ip: ctx.ip ?? null })
    throw new OAuthError('invalid_client', 'Client authentication failed.', credentials.method === 'client_secret_basic')
  }
  const accessToken = await signAccessToken(await signingKey(db), credentials.clientId, now)
  logger.debug('token issued', { clientId: credentials.clientId, clientKey: client.clientKey, method: credentials.method })
  return { access_token: accessToken, expires_in: TOKEN_LIFETIME_SECONDS, token_type: 'Bearer' }
}
