import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ValidationError } from '../errors'
import { jsonBody } from './body'
import { PayloadTooLargeError, UnsupportedMediaTypeError } from './problem'

const schema = z.strictObject({ email: z.email(), name: z.string().optional() })
const post = (body: string, type = 'application/json') => new Request('http://x/api/identity/v1/users', { method: 'POST', headers: { 'content-type': type }, body })

describe('jsonBody', () => {
  it('parses application/json and application/*+json', async () => {
    expect(await jsonBody(post('{"email":"a@example.test"}'), schema)).toEqual({ email: 'a@example.test' })
    expect(await jsonBody(post('{"email":"a@example.test"}', 'application/merge-patch+json; charset=utf-8'), schema)).toEqual({ email: 'a@example.test' })
  })

  it('refuses other media types with 415, oversized bodies with 413', async () => {
    await expect(jsonBody(post('email=a', 'application/x-www-form-urlencoded'), schema)).rejects.toBeInstanceOf(UnsupportedMediaTypeError)
    await expect(jsonBody(post(JSON.stringify({ email: 'a@example.test', name: 'x'.repeat(5000) })), schema, 1024)).rejects.toBeInstanceOf(PayloadTooLargeError)
  })

  it('refuses malformed JSON, schema violations and unknown properties with 400 field errors', async () => {
    await expect(jsonBody(post('{"email":'), schema)).rejects.toBeInstanceOf(ValidationError)
    const unknown = await jsonBody(post('{"email":"a@example.test","isAdmin":true}'), schema).catch((e) => e)
    expect(unknown).toBeInstanceOf(ValidationError)
    expect(unknown.fieldErrors.form[0]).toMatch(/isAdmin/)
    const wrong = await jsonBody(post('{"email":"nope"}'), schema).catch((e) => e)
    expect(Object.keys(wrong.fieldErrors)).toEqual(['email'])
  })
})
