// The Gatehouse API's OpenAPI document is assembled from one fragment per area, so each area's
// routes and their description change together. A fragment names its paths (relative to
// /api/gatehouse/v1) and the component schemas it adds; schemas shared by every area live in
// common.ts.

export type JsonSchema = { [key: string]: unknown }

export type OpenApiParameter = {
  name: string
  in: 'path' | 'query' | 'header'
  required?: boolean
  description?: string
  schema: JsonSchema
  style?: 'form'
  explode?: boolean
}

export type OpenApiResponse = { description: string; content?: { [mediaType: string]: { schema: JsonSchema } }; headers?: JsonSchema }

export type OpenApiOperation = {
  operationId: string
  summary: string
  description?: string
  tags: string[]
  /** The permission the caller needs (a slug from the permission registry), shown on the reference page. */
  'x-gatehouse-permission'?: string
  parameters?: OpenApiParameter[]
  requestBody?: { required?: boolean; content: { [mediaType: string]: { schema: JsonSchema } } }
  responses: { [status: string]: OpenApiResponse }
}

export type OpenApiPathItem = Partial<Record<'get' | 'post' | 'put' | 'patch' | 'delete', OpenApiOperation>>

export type OpenApiFragment = {
  tag: { name: string; description: string }
  paths: { [path: string]: OpenApiPathItem }
  schemas?: { [name: string]: JsonSchema }
}
