import 'server-only'
import { z } from 'zod'
import { withTransaction, type Ctx } from '../../context'
import { createApiClient } from '../../api-clients/create-api-client'
import { deleteApiClient } from '../../api-clients/delete-api-client'
import { getApiClient, type ApiClientDetail } from '../../api-clients/get-api-client'
import { listApiClients, type ApiClientListRow } from '../../api-clients/list-api-clients'
import { rotateApiClientSecret } from '../../api-clients/rotate-api-client-secret'
import { setApiClientPermissions } from '../../api-clients/set-api-client-permissions'
import { API_CLIENT_STATUSES, statusSlug } from '../../api-clients/status'
import { resumeApiClient, suspendApiClient } from '../../api-clients/suspend-api-client'
import { updateApiClient } from '../../api-clients/update-api-client'
import { grantSchema } from '../../roles/schemas'
import { parse, uuidSchema } from '../../validation'
import { jsonBody } from '../body'
import { UnsupportedMediaTypeError } from '../problem'
import { limitParam, listResponse, offsetParam, querySchema, sortParam } from '../query'

// API clients through the Gatehouse API (APIC-5). Every rule lives in lib/api-clients: permission
// Manage API clients, the organization's client limit, unique names, the registry's permissions,
// secrets shown once, and the guards that keep a client from giving out more than it holds or
// locking itself out (lib/api-clients/guards.ts). This file only maps shapes.

const keyParams = z.object({ key: uuidSchema })
const clientKeyOf = (params: unknown) => ({ clientKey: parse(keyParams, params).key })

const STATUS_SLUGS = API_CLIENT_STATUSES.map(statusSlug)
const statusParam = z
  .string()
  .transform((v) => v.trim().toLowerCase().replace(/[\s_]+/g, '-'))
  .pipe(z.enum(STATUS_SLUGS as [string, ...string[]], { error: `status must be one of: ${API_CLIENT_STATUSES.join(', ')}.` }))
  .optional()

export const apiClientsQuery = querySchema({
  nameOrClientIdContains: z.string().max(100, 'At most 100 characters.').optional(),
  status: statusParam,
  sort: sortParam(['name', 'secretExpiresAt'], 'name'),
  offset: offsetParam,
  limit: limitParam,
})

const permissions = z.array(grantSchema, { error: 'Send the permissions as a list.' }).max(500)
const version = z.number({ error: 'version must be a whole number.' }).int('version must be a whole number.').min(1, 'version must be a whole number.')

export const apiClientCreateBody = z.strictObject({
  name: z.string({ error: 'Enter a name for the API client.' }),
  description: z.string().nullish(),
  expiresOn: z.string().nullish(),
  remind: z.boolean().nullish(),
  permissions: permissions.nullish(),
})

export const apiClientUpdateBody = z.strictObject({ name: z.string().nullish(), description: z.string().nullish(), version: version.nullish() })

export const apiClientPermissionsBody = z.strictObject({ permissions, version: version.nullish() })

export const secretRotationBody = z.strictObject({ expiresOn: z.string().nullish(), remind: z.boolean().nullish(), overlapHours: z.number().nullish() })

const iso = (d: Date | null) => d?.toISOString() ?? null

export type ApiClientSummary = { key: string; name: string; clientId: string; description: string; status: string; secretExpiresAt: string | null; permissionCount: number }

const summaryOut = (r: ApiClientListRow): ApiClientSummary => ({
  key: r.key,
  name: r.name,
  clientId: r.clientId,
  description: r.description,
  status: r.status,
  secretExpiresAt: iso(r.secretExpiresAt),
  permissionCount: r.permissionCount,
})

/** An API client without its secret: the secret's value exists only in the answer that created it. */
function clientOut(c: ApiClientDetail) {
  return {
    key: c.key,
    clientId: c.clientId,
    name: c.name,
    description: c.description,
    version: c.version,
    status: c.status,
    suspendedAt: iso(c.suspendedAt),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    permissions: c.permissions.map((p) => ({ slug: p.slug, stageKeys: p.stageKeys })),
    secret: c.secret ? { expiresAt: c.secret.expiresAt.toISOString(), remind: c.secret.remind, remindedAt: iso(c.secret.remindedAt), createdAt: c.secret.createdAt.toISOString() } : null,
    retiringSecrets: c.retiring.map((r) => ({ retiresAt: r.retiresAt.toISOString(), createdAt: r.createdAt.toISOString() })),
  }
}

/**
 * GET /api-clients. The use case pages by keyset in name order; an organization has few clients
 * (its limit, 35 by default), so every match is read in one transaction and the offset page cut
 * from them, which also allows sorting by secret expiry.
 */
export async function queryApiClients(ctx: Ctx, query: z.infer<typeof apiClientsQuery.schema>) {
  const rows = await withTransaction(ctx, async (_tx, ctx) => {
    const all: ApiClientListRow[] = []
    let after: string | undefined
    do {
      const page = await listApiClients(ctx, { q: query.nameOrClientIdContains ?? '', status: query.status, perPage: 100, after })
      all.push(...page.rows)
      after = page.next ?? undefined
    } while (after)
    return all
  })
  if (query.sort.field === 'secretExpiresAt') {
    // Clients whose secret no longer works have no expiry: they come last either way.
    const time = (r: ApiClientListRow) => r.secretExpiresAt?.getTime() ?? null
    rows.sort((a, b) => {
      const [x, y] = [time(a), time(b)]
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1
      return query.sort.direction === 'asc' ? x - y : y - x
    })
  } else if (query.sort.direction === 'desc') rows.reverse()
  return listResponse(rows.slice(query.offset, query.offset + query.limit).map(summaryOut), query, rows.length)
}

/** GET /api-clients/{key}. */
export async function readApiClient(ctx: Ctx, params: unknown) {
  return clientOut(await getApiClient(ctx, clientKeyOf(params)))
}

/** POST /api-clients → the new client's key, its client id and its secret, the only time the secret is shown. */
export async function createApiClientOp(ctx: Ctx, request: Request) {
  const body = await jsonBody(request, apiClientCreateBody)
  const created = await createApiClient(ctx, {
    name: body.name,
    description: body.description ?? '',
    expiresOn: body.expiresOn ?? undefined,
    remind: body.remind ?? true,
    permissions: body.permissions ?? [],
  })
  return { key: created.clientKey, clientId: created.clientId, clientSecret: created.clientSecret, secretExpiresAt: created.expiresAt.toISOString() }
}

/** PATCH /api-clients/{key}: absent or null fields stay; without `version`, the current one is read here. */
export async function updateApiClientOp(ctx: Ctx, params: unknown, request: Request) {
  const { clientKey } = clientKeyOf(params)
  const body = await jsonBody(request, apiClientUpdateBody)
  return withTransaction(ctx, async (_tx, ctx) => {
    const current = await getApiClient(ctx, { clientKey })
    await updateApiClient(ctx, { clientKey, name: body.name ?? current.name, description: body.description ?? current.description, version: body.version ?? current.version })
    return clientOut(await getApiClient(ctx, { clientKey }))
  })
}

/** PUT /api-clients/{key}/permissions: replaces the whole set. */
export async function setApiClientPermissionsOp(ctx: Ctx, params: unknown, request: Request) {
  const { clientKey } = clientKeyOf(params)
  const body = await jsonBody(request, apiClientPermissionsBody)
  return withTransaction(ctx, async (_tx, ctx) => {
    await setApiClientPermissions(ctx, { clientKey, permissions: body.permissions, version: body.version ?? undefined })
    return clientOut(await getApiClient(ctx, { clientKey }))
  })
}

/** A request sent without a content type must have no body at all (curl -X POST sends none). */
async function noBody(request: Request): Promise<z.infer<typeof secretRotationBody>> {
  if ((await request.text()).trim()) throw new UnsupportedMediaTypeError('Send the body as application/json.')
  return {}
}

/** POST /api-clients/{key}/secrets: a new secret, shown once. The body may be left out entirely. */
export async function rotateApiClientSecretOp(ctx: Ctx, params: unknown, request: Request) {
  const { clientKey } = clientKeyOf(params)
  const body = request.headers.has('content-type') ? await jsonBody(request, secretRotationBody) : await noBody(request)
  const rotated = await rotateApiClientSecret(ctx, {
    clientKey,
    expiresOn: body.expiresOn ?? undefined,
    remind: body.remind ?? true,
    overlapHours: body.overlapHours ?? 0,
  })
  return {
    clientId: rotated.clientId,
    clientSecret: rotated.clientSecret,
    secretExpiresAt: rotated.expiresAt.toISOString(),
    previousSecretsRetireAt: rotated.previousRetiresAt.toISOString(),
  }
}

/** POST /api-clients/{key}/suspend and /resume: both idempotent; the answer is the client as it now is. */
export async function setApiClientSuspendedOp(ctx: Ctx, params: unknown, suspend: boolean) {
  const input = clientKeyOf(params)
  return withTransaction(ctx, async (_tx, ctx) => {
    await (suspend ? suspendApiClient : resumeApiClient)(ctx, input)
    return clientOut(await getApiClient(ctx, input))
  })
}

/** DELETE /api-clients/{key}. */
export async function deleteApiClientOp(ctx: Ctx, params: unknown): Promise<void> {
  await deleteApiClient(ctx, clientKeyOf(params))
}
