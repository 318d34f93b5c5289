import { describe, expect, it } from 'vitest'
import { assertNoRepeatedParams, clientCredentials, OAuthError } from './oauth'

const basic = (raw: string) => `Basic ${Buffer.from(raw).toString('base64')}`

function refusal(fn: () => unknown): OAuthError {
  try {
    fn()
  } catch (e) {
    if (e instanceof OAuthError) return e
    throw e
  }
  throw new Error('expected an OAuthError')
}

describe('client authentication at the token endpoint', () => {
  it('reads client_secret_post from the form', () => {
    expect(clientCredentials(new URLSearchParams('client_id=abc&client_secret=s3cret'), null)).toEqual({ clientId: 'abc', clientSecret: 's3cret', method: 'client_secret_post' })
  })

  it('reads client_secret_basic and form-url-decodes each part (RFC 6749 §2.3.1)', () => {
    expect(clientCredentials(new URLSearchParams(), basic('my%3Aid:a+b%2Bc%3Ad'))).toEqual({ clientId: 'my:id', clientSecret: 'a b+c:d', method: 'client_secret_basic' })
    // the scheme name is case-insensitive
    expect(clientCredentials(new URLSearchParams(), `bAsIc ${Buffer.from('id:secret').toString('base64')}`).method).toBe('client_secret_basic')
  })

  it('accepts the client id repeated in the body with Basic, but not a different one', () => {
    expect(clientCredentials(new URLSearchParams('client_id=id'), basic('id:secret')).clientId).toBe('id')
    expect(refusal(() => clientCredentials(new URLSearchParams('client_id=other'), basic('id:secret'))).error).toBe('invalid_request')
  })

  it('refuses both methods at once', () => {
    const e = refusal(() => clientCredentials(new URLSearchParams('client_id=id&client_secret=secret'), basic('id:secret')))
    expect(e).toMatchObject({ error: 'invalid_request', status: 400 })
  })

  it('refuses missing credentials as invalid_client with a Basic challenge', () => {
    for (const form of ['', 'client_id=id', 'client_secret=secret', 'client_id=&client_secret=secret'])
      expect(refusal(() => clientCredentials(new URLSearchParams(form), null))).toMatchObject({ error: 'invalid_client', status: 401, basicChallenge: true })
  })

  it('refuses a malformed or foreign Authorization header as invalid_client with a challenge', () => {
    for (const header of ['Basic', 'Basic !!!', basic('no-colon'), basic(':secret'), basic('id:'), basic('id:%zz'), 'Bearer abc.def.ghi', 'Basic YWJj ZGVm'])
      expect(refusal(() => clientCredentials(new URLSearchParams(), header))).toMatchObject({ error: 'invalid_client', basicChallenge: true })
  })

  it('refuses a repeated parameter', () => {
    expect(refusal(() => assertNoRepeatedParams(new URLSearchParams('grant_type=client_credentials&grant_type=client_credentials'))).error).toBe('invalid_request')
    expect(refusal(() => clientCredentials(new URLSearchParams('client_id=a&client_id=b&client_secret=s'), null)).error).toBe('invalid_request')
  })
})
