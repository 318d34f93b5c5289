import type { JsonSchema, OpenApiParameter, OpenApiResponse } from './types'

// Conventions every Gatehouse API operation shares with the identity API (digest §4): offset/limit
// pages with a `page` object, `sort=field` / `sort=-field`, RFC 7807 problems with a trace id and
// an error code, and bearer tokens from /identity/connect/token.

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` })

export const commonSchemas: { [name: string]: JsonSchema } = {
  ProblemDetails: {
    type: 'object',
    description: 'An error, as RFC 7807 problem details. `errors` names the fields a validation failure is about.',
    properties: {
      type: { type: 'string', nullable: true },
      title: { type: 'string', nullable: true },
      status: { type: 'integer', format: 'int32', nullable: true },
      detail: { type: 'string', nullable: true },
      instance: { type: 'string', nullable: true },
      traceId: { type: 'string', description: 'Quote it when reporting a problem: the server log carries the same id.' },
      errorCode: { type: 'string', description: 'GH-<API>-<CATEGORY>-<STATUS><NN>, stable for each kind of refusal.' },
      errors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } }, description: 'Field → messages, on a 400.' },
    },
    additionalProperties: false,
  },
  Page: {
    type: 'object',
    required: ['count', 'limit', 'offset'],
    properties: {
      count: { type: 'integer', format: 'int32', description: 'Results on this page.' },
      limit: { type: 'integer', format: 'int32' },
      offset: { type: 'integer', format: 'int32' },
      totalResults: { type: 'integer', format: 'int32', nullable: true },
      nextPageOffset: { type: 'integer', format: 'int32', nullable: true, description: 'null on the last page.' },
      totalPages: { type: 'integer', format: 'int32', nullable: true },
    },
    additionalProperties: false,
  },
}

/** A page of `item`: `{ results: item[], page: Page }`. */
export const pageOf = (item: JsonSchema): JsonSchema => ({
  type: 'object',
  required: ['results', 'page'],
  properties: { results: { type: 'array', items: item }, page: ref('Page') },
  additionalProperties: false,
})

export const json = (schema: JsonSchema) => ({ 'application/json': { schema } })
const problem = (description: string): OpenApiResponse => ({ description, content: json(ref('ProblemDetails')) })

/** The refusals every operation can answer. Spread into `responses` and add the operation's own. */
export const problems = {
  400: problem('The request is not valid; nothing was changed.'),
  401: problem('No valid bearer token, or the API client is suspended, deleted or its secret expired.'),
  403: problem('The API client lacks the permission this operation needs.'),
  404: problem('No such resource in this organization.'),
  409: problem('The change conflicts with the current state.'),
  429: problem('Over the organization’s request limit; see Retry-After.'),
} satisfies Record<number, OpenApiResponse>

export const standardProblems = { 401: problems[401], 403: problems[403], 429: problems[429] }

export const offsetLimit: OpenApiParameter[] = [
  { name: 'offset', in: 'query', description: 'Results to skip (default 0).', schema: { type: 'integer', minimum: 0, default: 0 } },
  { name: 'limit', in: 'query', description: 'Results per page, 1–100 (default 100).', schema: { type: 'integer', minimum: 1, maximum: 100, default: 100 } },
]

export const sortParameter = (fields: string[], fallback: string): OpenApiParameter => ({
  name: 'sort',
  in: 'query',
  description: `One of ${fields.map((f) => `\`${f}\``).join(', ')}; prefix with \`-\` for descending. Default \`${fallback}\`.`,
  schema: { type: 'string', enum: fields.flatMap((f) => [f, `-${f}`]) },
})

export const keyParameter = (name: string, description: string): OpenApiParameter => ({ name, in: 'path', required: true, description, schema: { type: 'string', format: 'uuid' } })
