import type { z } from 'zod'
import { ValidationError } from '../errors'
import { parse } from '../validation'
import { mediaType, readBodyText } from './http'
import { PayloadTooLargeError, UnsupportedMediaTypeError } from './problem'

const MAX_JSON_BYTES = 1024 * 1024

/**
 * A request's JSON body parsed with `schema` (REST-1: application/json or application/*+json).
 * Another media type is a 415, a body that is not JSON or does not fit the schema a 400 naming
 * the fields; a strict schema refuses unknown properties (API-1, additionalProperties: false).
 */
export async function jsonBody<T extends z.ZodType>(request: Request, schema: T, maxBytes = MAX_JSON_BYTES): Promise<z.infer<T>> {
  const type = mediaType(request.headers.get('content-type'))
  if (type !== 'application/json' && !/^application\/[\w.-]+\+json$/.test(type)) throw new UnsupportedMediaTypeError('Send the body as application/json.')
  const text = await readBodyText(request, maxBytes)
  if (text === null) throw new PayloadTooLargeError(`The body is larger than ${Math.floor(maxBytes / 1024)} KB.`)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new ValidationError('The body is not valid JSON.', { body: ['The body is not valid JSON.'] })
  }
  return parse(schema, value)
}

/**
 * Like jsonBody, for an operation whose body is optional: a request with no body (and no content
 * type) is read as `{}`, so the schema's defaults apply. A body sent without a content type is
 * still a 415.
 */
export async function optionalJsonBody<T extends z.ZodType>(request: Request, schema: T, maxBytes = MAX_JSON_BYTES): Promise<z.infer<T>> {
  if (request.headers.get('content-type') !== null) return jsonBody(request, schema, maxBytes)
  const text = await readBodyText(request, maxBytes)
  if (text === null) throw new PayloadTooLargeError(`The body is larger than ${Math.floor(maxBytes / 1024)} KB.`)
  if (text.trim() !== '') throw new UnsupportedMediaTypeError('Send the body as application/json.')
  return parse(schema, {})
}
