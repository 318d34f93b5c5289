import path from 'node:path'
import { is } from 'drizzle-orm'
import { PgTable } from 'drizzle-orm/pg-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import * as schema from '@/db/schema'
import { gatehouseOpenApi } from '@/lib/api/gatehouse/openapi'
import contract from '@/lib/api/identity/odc-identity-v1.openapi.json'
import { issueClientToken } from '@/lib/api/issue-client-token'
import { insertApiClient } from '@/lib/api/testing'
import { permissionDefs } from '@/lib/authz/catalogue'
import { systemCtx } from '@/lib/context'
import { operation } from '@/test/contract'
import { rowCounts } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'

// Generated bad input against every operation of both APIs (issue 5): from each operation's
// OpenAPI description, requests with malformed path keys, query values of the wrong type, out of
// range, too long or holding a NUL character, and bodies that are not JSON, not objects, carry an
// unknown property, or give each property a value of the wrong type. The caller holds every
// permission, so validation — not authorization — is what answers. Every answer must be a
// problem or a result, never a 500, and a refused write must leave every table as it was.

type Json = { [key: string]: unknown }
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>
type Api = 'identity' | 'gatehouse'
type Variant = { label: string; path: Record<string, string>; query: string; body?: string; contentType?: string }

const METHODS = ['get', 'post', 'put', 'patch', 'delete']
const UNKNOWN = '00000000-0000-4000-8000-00000000abcd'
const LONG = 'x'.repeat(5000)

const documents: Record<Api, { paths: Json; components: { schemas: Json } }> = {
  identity: contract as unknown as { paths: Json; components: { schemas: Json } },
  gatehouse: gatehouseOpenApi() as unknown as { paths: Json; components: { schemas: Json } },
}

function resolve(api: Api, node: Json | undefined): Json | undefined {
  if (!node) return undefined
  if (typeof node.$ref === 'string') return resolve(api, documents[api].components.schemas[node.$ref.replace('#/components/schemas/', '')] as Json)
  if (Array.isArray(node.allOf) && node.allOf.length === 1) return resolve(api, node.allOf[0] as Json)
  return node
}

/** Values a parameter of this schema must refuse or survive. */
function badValues(api: Api, raw: Json | undefined): string[] {
  const s = resolve(api, raw) ?? {}
  if (s.type === 'array') return [`${badValues(api, s.items as Json)[0]},${UNKNOWN}`, Array.from({ length: 25 }, () => UNKNOWN).join(',')]
  if (Array.isArray(s.enum)) return ['NotAValue', '']
  if (s.type === 'integer' || s.type === 'number') return ['abc', '-1', '1.5', '99999999999999999999', '']
  if (s.type === 'boolean') return ['maybe', '']
  if (s.format === 'uuid') return ['not-a-key', "1' or '1'='1", '']
  if (s.format === 'date-time') return ['yesterday', '2024-13-45T99:99:99Z']
  return [LONG, 'a\u0000b']
}

/** A value of the wrong type for a body property of this schema. */
function wrongType(api: Api, raw: Json | undefined): unknown[] {
  const s = resolve(api, raw) ?? {}
  if (s.type === 'array') return ['not-a-list', [{ nested: true }]]
  if (s.type === 'object' || s.properties) return [[], 'not-an-object']
  if (s.type === 'integer' || s.type === 'number') return ['12', 1.5e308]
  if (s.type === 'boolean') return ['yes', 1]
  if (Array.isArray(s.enum)) return ['NotAValue', 7]
  if (s.format === 'uuid') return ['not-a-key', 42]
  return [42, LONG.repeat(20), 'a\u0000b']
}

function variantsOf(api: Api, op: Json, pathNames: string[]): Variant[] {
  const goodPath = Object.fromEntries(pathNames.map((n) => [n, UNKNOWN]))
  const body = resolve(api, ((op.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as Json | undefined)
  // Where the operation takes a body, path and query variants send an empty object, so they reach
  // the path and query checks rather than stopping at a missing body.
  const emptyBody = body ? '{}' : undefined
  const variants: Variant[] = []
  for (const name of pathNames)
    for (const value of ['not-a-key', "'; select 1; --", LONG]) variants.push({ label: `path ${name}=${value.slice(0, 20)}`, path: { ...goodPath, [name]: value }, query: '', body: emptyBody })
  for (const p of (op.parameters ?? []) as Json[]) {
    if (p.in !== 'query') continue
    for (const value of badValues(api, p.schema as Json))
      variants.push({ label: `query ${String(p.name)}=${value.slice(0, 20)}`, path: goodPath, query: new URLSearchParams({ [String(p.name)]: value }).toString(), body: emptyBody })
  }
  variants.push({ label: 'query limit twice', path: goodPath, query: 'limit=1&limit=2', body: emptyBody })
  if (body) {
    const shape = resolve(api, body.schema as Json) ?? {}
    const properties = (shape.properties ?? {}) as Record<string, Json>
    const whole: Array<[string, string, string?]> = [
      ['not JSON', '{"name": '],
      ['an array', '[]'],
      ['a string', '"hello"'],
      ['null', 'null'],
      ['an unknown property', JSON.stringify({ definitelyNotAField: true })],
      ['form-encoded', 'name=x', 'application/x-www-form-urlencoded'],
    ]
    for (const [label, text, contentType] of whole) variants.push({ label: `body ${label}`, path: goodPath, query: '', body: text, contentType })
    for (const [name, property] of Object.entries(properties)) {
      for (const value of wrongType(api, property)) variants.push({ label: `body ${name}=${JSON.stringify(value).slice(0, 20)}`, path: goodPath, query: '', body: JSON.stringify({ [name]: value }) })
    }
  }
  return variants
}

async function routeOf(api: Api, openApiPath: string): Promise<Record<string, Handler>> {
  const file = path.join(process.cwd(), 'app/api', api, 'v1', openApiPath.replace(/\{([^}]+)\}/g, '[$1]'), 'route.ts')
  return (await import(/* @vite-ignore */ file)) as Record<string, Handler>
}

function declares(api: Api, operationId: string, status: number): boolean {
  const { responses } = operation(operationId, api)
  return String(status) in responses || 'default' in responses
}

const tables = Object.fromEntries(Object.entries(schema).filter(([name, value]) => is(value, PgTable) && name !== 'rateLimitWindows')) as Record<string, PgTable>

describe('generated bad input against every API operation', () => {
  useTestDatabase()
  let token: string
  beforeAll(async () => {
    await setupOrganization()
    const everything = await insertApiClient({ permissions: permissionDefs.map((p) => ({ slug: p.slug })) })
    token = (await issueClientToken(systemCtx('test'), new URLSearchParams({ grant_type: 'client_credentials', client_id: everything.clientId, client_secret: everything.secret }))).access_token
    // Thousands of requests in a minute: lift the organization's limits for this test only.
    await (await getDb()).update(schema.organizations).set({ apiRateLimit: 1_000_000, bulkRateLimit: 1_000_000 })
  })

  for (const api of ['identity', 'gatehouse'] as const) {
    for (const [openApiPath, item] of Object.entries(documents[api].paths)) {
      for (const method of METHODS) {
        const op = (item as Json)[method] as Json | undefined
        if (!op) continue
        const operationId = String(op.operationId)
        it(`${api} ${method.toUpperCase()} ${openApiPath} (${operationId})`, async () => {
          const handler = (await routeOf(api, openApiPath))[method.toUpperCase()]
          expect(handler, 'route handler').toBeTypeOf('function')
          const pathNames = [...openApiPath.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])
          const before = await rowCounts(tables)
          const unexpected: string[] = []
          for (const variant of variantsOf(api, op, pathNames)) {
            const url = `http://localhost:3000/api/${api}/v1${openApiPath.replace(/\{([^}]+)\}/g, (_, n: string) => encodeURIComponent(variant.path[n]))}${variant.query ? `?${variant.query}` : ''}`
            const headers: Record<string, string> = { authorization: `Bearer ${token}` }
            if (variant.body !== undefined) headers['content-type'] = variant.contentType ?? 'application/json'
            const response = await handler(new Request(url, { method: method.toUpperCase(), headers, body: variant.body }), { params: Promise.resolve(variant.path) })
            const text = await response.text()
            const status = response.status
            const refusedWrite = method !== 'get' && status < 400
            const problemShape = status >= 400 && (() => {
              const body = JSON.parse(text) as Json
              return typeof body.traceId === 'string' && typeof body.errorCode === 'string' && body.status === status
            })()
            // An undeclared 400 (or 415 for a body that is not JSON) is still the right answer to bad
            // input; anything else must be declared.
            const answerable = status === 400 || (status === 415 && variant.contentType !== undefined) || declares(api, operationId, status)
            if (status >= 500 || refusedWrite || (status >= 400 && !problemShape) || !answerable)
              unexpected.push(`${variant.label} → ${status} ${text.slice(0, 160)}`)
          }
          expect(unexpected).toEqual([])
          expect(await rowCounts(tables)).toEqual(before)
        })
      }
    }
  }
})
