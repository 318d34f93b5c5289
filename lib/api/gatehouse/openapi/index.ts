import { commonSchemas } from './common'
import type { OpenApiFragment, OpenApiPathItem } from './types'
import { accessSpec } from './access'
import { apiClientsSpec } from './api-clients'
import { appsSpec } from './apps'
import { auditSpec } from './audit'
import { stagesSpec } from './stages'
import { whoamiSpec } from './whoami'

// The OpenAPI document of /api/gatehouse/v1 (API-5), served at /api/gatehouse/v1/openapi.json,
// rendered on the portal's API reference page, and the contract the Gatehouse API's tests check
// every response against (test/contract.ts). Add an area by writing its fragment and listing it here.
const fragments: OpenApiFragment[] = [whoamiSpec, appsSpec, stagesSpec, apiClientsSpec, auditSpec, accessSpec]

export function gatehouseOpenApi(serverUrl = '/api/gatehouse/v1') {
  const paths: Record<string, OpenApiPathItem> = {}
  let schemas = { ...commonSchemas }
  for (const fragment of fragments) {
    for (const [path, item] of Object.entries(fragment.paths)) {
      if (paths[path]) throw new Error(`Two fragments describe ${path}`)
      paths[path] = item
    }
    for (const name of Object.keys(fragment.schemas ?? {})) if (schemas[name]) throw new Error(`Two fragments define the schema ${name}`)
    schemas = { ...schemas, ...fragment.schemas }
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Gatehouse API',
      version: 'v1',
      description:
        'Operations the identity API (/api/identity/v1) does not cover: apps and their end-user roles, API clients, stages and their settings, the audit trail, and access checks with their reasons. Same conventions: bearer tokens from /identity/connect/token, offset/limit pages, sort=field or sort=-field, RFC 7807 problems.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearerAuth: [] }],
    tags: fragments.map((f) => f.tag),
    paths,
    components: {
      schemas,
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from POST /identity/connect/token (client credentials).' } },
    },
  }
}
