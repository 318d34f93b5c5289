import { readFileSync } from 'node:fs'
import path from 'node:path'
import Ajv, { type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { expect } from 'vitest'
import { gatehouseOpenApi } from '@/lib/api/gatehouse/openapi'

// Contract tests (issue 5): every response a test receives from /api/identity/v1 is checked against
// ODC's OpenAPI file, and every response from /api/gatehouse/v1 against Gatehouse's own document —
// status declared for the operation, body valid against its schema, and no property the schema
// does not name (objects are closed here even where a document leaves them open, so an extra field
// fails), no required one missing.

type Json = Record<string, unknown>
export type ContractName = 'identity' | 'gatehouse'

// ODC's contract, kept in the repository (it is also the base of the identity document we serve).
const IDENTITY_SPEC = path.resolve(process.cwd(), 'lib/api/identity/odc-identity-v1.openapi.json')

type Loaded = { spec: Json; ajv: Ajv; cache: Map<string, ValidateFunction | null> }
const loaded = new Map<ContractName, Loaded>()

function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects)
  if (!node || typeof node !== 'object') return node
  const out: Json = {}
  for (const [k, v] of Object.entries(node)) out[k] = closeObjects(v)
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined) out.additionalProperties = false
  // OpenAPI 3.0 puts `nullable` beside an allOf/$ref with no `type`, which ajv cannot compile: say it as anyOf with null.
  if (out.nullable === true && out.type === undefined) {
    const { nullable: _nullable, description: _description, ...rest } = out
    return { anyOf: [rest, { type: 'null' }] }
  }
  return out
}

/**
 * The one property Gatehouse adds to ODC's ProblemDetails (lib/api/problem.ts): `errors`, field →
 * messages, on a validation failure, as ASP.NET's ValidationProblemDetails does. Anything else extra still fails.
 */
function withValidationErrors(schemas: Json): Json {
  const problem = schemas.ProblemDetails as Json
  const properties = { ...(problem.properties as Json), errors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } } }
  return { ...schemas, ProblemDetails: { ...problem, properties } }
}

function load(name: ContractName): Loaded {
  const existing = loaded.get(name)
  if (existing) return existing
  const spec = name === 'identity' ? (JSON.parse(readFileSync(IDENTITY_SPEC, 'utf8')) as Json) : (gatehouseOpenApi() as unknown as Json)
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats(ajv)
  const schemas = closeObjects((spec.components as Json).schemas) as Json
  ajv.addSchema({ $id: name, components: { schemas: name === 'identity' ? withValidationErrors(schemas) : schemas } })
  const entry = { spec, ajv, cache: new Map() }
  loaded.set(name, entry)
  return entry
}

/** The operation of a document with this operationId: its path, method and declared responses. */
export function operation(operationId: string, name: ContractName = 'identity'): { path: string; method: string; responses: Json } {
  const { spec } = load(name)
  for (const [p, item] of Object.entries(spec.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      if ((op as Json)?.operationId === operationId) return { path: p, method, responses: (op as Json).responses as Json }
    }
  }
  throw new Error(`No operation ${operationId} in the ${name} OpenAPI document`)
}

function validatorFor(name: ContractName, operationId: string, status: number): ValidateFunction | null {
  const { ajv, cache } = load(name)
  const id = `${operationId}:${status}`
  if (cache.has(id)) return cache.get(id)!
  const { responses } = operation(operationId, name)
  const declared = (responses[String(status)] ?? responses.default) as Json | undefined
  if (!declared) throw new Error(`${operationId} does not declare status ${status}; declared: ${Object.keys(responses).join(', ')}`)
  const schema = ((declared.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema as Json | undefined
  if (!schema) {
    cache.set(id, null)
    return null
  }
  const rewritten = JSON.parse(JSON.stringify(closeObjects(schema)).replace(/"#\/components\/schemas\//g, `"${name}#/components/schemas/`))
  const validate = ajv.compile(rewritten)
  cache.set(id, validate)
  return validate
}

async function conforms(name: ContractName, operationId: string, response: Response): Promise<unknown> {
  const text = await response.text()
  const validate = validatorFor(name, operationId, response.status)
  if (!validate) {
    // A body in another media type (a CSV download): its type must be one the operation declares; the text is returned.
    const declared = Object.keys((((operation(operationId, name).responses[String(response.status)] as Json | undefined)?.content as Json | undefined) ?? {}))
    if (declared.length) {
      expect(declared, `${operationId} ${response.status} content type`).toContain((response.headers.get('content-type') ?? '').split(';')[0].trim())
      return text
    }
    expect(text, `${operationId} ${response.status} declares no body`).toBe('')
    return null
  }
  expect(response.headers.get('content-type') ?? '', `${operationId} ${response.status} content type`).toMatch(/^application\/json/)
  const body = JSON.parse(text)
  const ok = validate(body)
  expect(ok ? [] : validate.errors, `${operationId} ${response.status} body against the OpenAPI schema: ${text.slice(0, 400)}`).toEqual([])
  return body
}

/**
 * Asserts that `response` is what ODC's identity OpenAPI file declares for `operationId`: a
 * declared status, and a JSON body valid against that status's schema (an empty body where none is
 * declared). Returns the parsed body.
 */
export function expectConforms(operationId: string, response: Response): Promise<unknown> {
  return conforms('identity', operationId, response)
}

/** The same for a /api/gatehouse/v1 operation, against lib/api/gatehouse/openapi. */
export function expectGatehouseConforms(operationId: string, response: Response): Promise<unknown> {
  return conforms('gatehouse', operationId, response)
}
