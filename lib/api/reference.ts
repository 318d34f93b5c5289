import { gatehouseOpenApi } from './gatehouse/openapi'
import { identityOpenApi } from './identity/openapi'

// The portal's API reference page (API-2), generated from the two OpenAPI documents the API serves,
// so the page, the served documents and the contract tests never disagree. Pure: no database.

type Json = { [key: string]: unknown }

export type ApiName = 'identity' | 'gatehouse'
export type ReferenceField = { name: string; type: string; required: boolean; note: string | null }
export type ReferenceParameter = ReferenceField & { in: string }
export type ReferenceResponse = { status: string; description: string; type: string | null }
export type ReferenceOperation = {
  id: string
  method: string
  path: string
  summary: string
  description: string | null
  permission: string | null
  parameters: ReferenceParameter[]
  body: { type: string; fields: ReferenceField[] } | null
  responses: ReferenceResponse[]
}
export type ReferenceSchema = { name: string; type: string; fields: ReferenceField[] }
export type ApiReference = {
  api: ApiName
  title: string
  description: string
  baseUrl: string
  documentUrl: string
  groups: Array<{ tag: string; description: string | null; operations: ReferenceOperation[] }>
  schemas: ReferenceSchema[]
  operationCount: number
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

function refName(ref: string): string {
  return ref.replace('#/components/schemas/', '')
}

/** A short type expression: `string (uuid)`, `UserProfileApiResponse[]`, `"Active" | "Inactive"`. */
export function typeOf(schema: Json | undefined): string {
  if (!schema) return 'any'
  if (typeof schema.$ref === 'string') return refName(schema.$ref)
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ')
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1) return typeOf(schema.allOf[0] as Json)
  for (const key of ['anyOf', 'oneOf'] as const) if (Array.isArray(schema[key])) return (schema[key] as Json[]).map(typeOf).join(' | ')
  if (schema.type === 'array') return `${typeOf(schema.items as Json | undefined)}[]`
  if (schema.type === 'object' && schema.additionalProperties && typeof schema.additionalProperties === 'object' && !schema.properties)
    return `map of ${typeOf(schema.additionalProperties as Json)}`
  const base = typeof schema.type === 'string' ? schema.type : 'object'
  return schema.format ? `${base} (${String(schema.format)})` : base
}

function noteOf(schema: Json): string | null {
  const parts: string[] = []
  if (schema.nullable) parts.push('may be null')
  if (typeof schema.minimum === 'number' || typeof schema.maximum === 'number') parts.push(`${schema.minimum ?? '…'}–${schema.maximum ?? '…'}`)
  if (typeof schema.maxLength === 'number') parts.push(`at most ${schema.maxLength} characters`)
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`)
  if (typeof schema.description === 'string') parts.push(schema.description)
  return parts.length ? parts.join('; ') : null
}

function fieldsOf(schema: Json | undefined, schemas: Json): ReferenceField[] {
  if (!schema) return []
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1) return fieldsOf(schema.allOf[0] as Json, schemas)
  const resolved = typeof schema.$ref === 'string' ? (schemas[refName(schema.$ref)] as Json | undefined) : schema
  const properties = (resolved?.properties ?? {}) as Record<string, Json>
  const required = new Set((resolved?.required ?? []) as string[])
  return Object.entries(properties).map(([name, property]) => ({ name, type: typeOf(property), required: required.has(name), note: noteOf(property) }))
}

type Document = { info: { title: string; description?: string }; servers: Array<{ url: string }>; tags?: Array<{ name: string; description?: string }>; paths: Json; components: { schemas: Json } }

export function buildReference(api: ApiName, doc: Document, documentUrl: string): ApiReference {
  const schemas = doc.components.schemas
  const byTag = new Map<string, ReferenceOperation[]>()
  for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined
      if (!op) continue
      const content = ((op.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as Json | undefined
      const bodySchema = content?.schema as Json | undefined
      const operation: ReferenceOperation = {
        id: String(op.operationId),
        method: method.toUpperCase(),
        path,
        summary: String(op.summary ?? op.operationId),
        description: typeof op.description === 'string' ? op.description : null,
        permission: typeof op['x-gatehouse-permission'] === 'string' ? op['x-gatehouse-permission'] : null,
        parameters: ((op.parameters ?? []) as Json[]).map((p) => ({
          name: String(p.name),
          in: String(p.in),
          type: typeOf(p.schema as Json | undefined),
          required: Boolean(p.required),
          note: noteOf({ ...(p.schema as Json | undefined), description: p.description }),
        })),
        body: bodySchema ? { type: typeOf(bodySchema), fields: fieldsOf(bodySchema, schemas) } : null,
        responses: Object.entries(op.responses as Record<string, Json>).map(([status, r]) => {
          const media = (r.content as Json | undefined) ?? {}
          const schema = (Object.values(media)[0] as Json | undefined)?.schema as Json | undefined
          return { status, description: String(r.description ?? ''), type: schema ? typeOf(schema) : null }
        }),
      }
      const tag = ((op.tags as string[] | undefined) ?? ['other'])[0]
      byTag.set(tag, [...(byTag.get(tag) ?? []), operation])
    }
  }
  const tagOrder = (doc.tags ?? []).map((t) => t.name)
  const groups = [...byTag.entries()]
    .sort(([a], [b]) => (tagOrder.indexOf(a) + 1 || 999) - (tagOrder.indexOf(b) + 1 || 999))
    .map(([tag, operations]) => ({ tag, description: doc.tags?.find((t) => t.name === tag)?.description ?? null, operations }))
  return {
    api,
    title: doc.info.title,
    description: doc.info.description ?? '',
    baseUrl: doc.servers[0]?.url ?? '',
    documentUrl,
    groups,
    schemas: Object.entries(schemas as Record<string, Json>)
      .map(([name, schema]) => ({ name, type: typeOf({ ...schema, $ref: undefined }), fields: fieldsOf(schema, schemas) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    operationCount: groups.reduce((n, g) => n + g.operations.length, 0),
  }
}

/** The reference of one API, narrowed to operations whose path, summary, id or permission contains `q`. */
export function apiReference(api: ApiName, q = ''): ApiReference {
  const reference =
    api === 'identity'
      ? buildReference('identity', identityOpenApi() as unknown as Document, '/api/identity/v1/openapi.json')
      : buildReference('gatehouse', gatehouseOpenApi() as unknown as Document, '/api/gatehouse/v1/openapi.json')
  const term = q.trim().toLowerCase()
  if (!term) return reference
  const matches = (op: ReferenceOperation) => [op.method, op.path, op.summary, op.id, op.permission ?? ''].some((s) => s.toLowerCase().includes(term))
  const groups = reference.groups.map((g) => ({ ...g, operations: g.operations.filter(matches) })).filter((g) => g.operations.length > 0)
  return { ...reference, groups }
}
