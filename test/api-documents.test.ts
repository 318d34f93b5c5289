import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { gatehouseOpenApi } from '@/lib/api/gatehouse/openapi'
import contract from '@/lib/api/identity/odc-identity-v1.openapi.json'
import { identityOpenApi } from '@/lib/api/identity/openapi'

// The two OpenAPI documents we serve (API-2): complete (every operation they describe has a route
// handler exporting its method, so "documented" means "implemented"), well-formed, and for the
// identity API structurally identical to the contract it is wire-compatible with.

type Json = Record<string, unknown>
const METHODS = ['get', 'post', 'put', 'patch', 'delete']

function operationsOf(doc: { paths: Record<string, unknown> }) {
  return Object.entries(doc.paths).flatMap(([p, item]) =>
    Object.entries(item as Json)
      .filter(([m]) => METHODS.includes(m))
      .map(([method, op]) => ({ path: p, method, op: op as Json })),
  )
}

/** app/api/<api>/v1/users/{key}/groups → app/api/<api>/v1/users/[key]/groups/route.ts */
function routeFile(api: string, openApiPath: string): string {
  return path.join(process.cwd(), 'app/api', api, 'v1', openApiPath.replace(/\{([^}]+)\}/g, '[$1]'), 'route.ts')
}

function expectRoutesFor(api: string, doc: { paths: Record<string, unknown> }) {
  const missing: string[] = []
  for (const { path: p, method } of operationsOf(doc)) {
    const file = routeFile(api, p)
    const exported = existsSync(file) && new RegExp(`export (const|async function|function) ${method.toUpperCase()}\\b`).test(readFileSync(file, 'utf8'))
    if (!exported) missing.push(`${method.toUpperCase()} ${p}`)
  }
  expect(missing).toEqual([])
}

function stripProse(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripProse)
  if (!node || typeof node !== 'object') return node
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k]) => !['description', 'summary', 'x-gatehouse-permission'].includes(k))
      .map(([k, v]) => [k, stripProse(v)]),
  )
}

function compileAll(doc: { components: { schemas: Json } }) {
  const ajv = new Ajv({ strict: false })
  addFormats(ajv)
  ajv.addSchema({ $id: 'doc', components: doc.components })
  return (schema: unknown) => ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/components\/schemas\//g, '"doc#/components/schemas/')))
}

describe('the identity API document (/api/identity/v1/openapi.json)', () => {
  const doc = identityOpenApi()

  it('describes all 37 operations, each with a summary and the permission it needs', () => {
    const ops = operationsOf(doc)
    expect(ops).toHaveLength(37)
    for (const { op } of ops) {
      expect(op.summary, String(op.operationId)).toMatch(/\w{3}/)
      expect(op['x-gatehouse-permission'], String(op.operationId)).toMatch(/\w{3}/)
    }
  })

  it('has the contract’s paths, parameters, bodies, statuses and schemas, in our own words', () => {
    expect(stripProse(doc.paths)).toEqual(stripProse(contract.paths))
    expect(stripProse(doc.components.schemas)).toEqual(stripProse(contract.components.schemas))
    const text = JSON.stringify({ paths: doc.paths, schemas: doc.components.schemas })
    // Enum values stay (OutSystems11 is a provider subtype); the contract’s prose does not.
    expect(text).not.toMatch(/OutSystems [sS]upport|Gets or sets|ODC_PORTAL_DOMAIN/)
  })

  it('has a route handler for every operation', () => expectRoutesFor('identity', doc))
})

describe('the Gatehouse API document (/api/gatehouse/v1/openapi.json)', () => {
  const doc = gatehouseOpenApi()

  it('gives every operation a unique id, a tag it declares, a summary and its statuses', () => {
    const ops = operationsOf(doc)
    const ids = ops.map(({ op }) => op.operationId)
    expect(new Set(ids).size).toBe(ids.length)
    const tags = new Set(doc.tags.map((t) => t.name))
    for (const { op } of ops) {
      expect((op.tags as string[]).every((t) => tags.has(t)), String(op.operationId)).toBe(true)
      expect(op.summary, String(op.operationId)).toMatch(/\w{3}/)
      expect(Object.keys(op.responses as Json).length, String(op.operationId)).toBeGreaterThan(1)
    }
  })

  it('compiles: every schema and reference resolves', () => {
    const compile = compileAll(doc as unknown as { components: { schemas: Json } })
    for (const { op } of operationsOf(doc)) {
      for (const response of Object.values(op.responses as Record<string, Json>)) {
        const schema = (response.content as Json | undefined)?.['application/json'] as Json | undefined
        if (schema) expect(() => compile(schema.schema), String(op.operationId)).not.toThrow()
      }
      const body = ((op.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as Json | undefined
      if (body) expect(() => compile(body.schema), String(op.operationId)).not.toThrow()
    }
  })

  it('has a route handler for every operation', () => expectRoutesFor('gatehouse', doc))
})
