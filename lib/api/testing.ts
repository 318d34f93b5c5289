import 'server-only'
import { eq, inArray } from 'drizzle-orm'
import { getDb } from '@/db/client'
import { apiClientPermissions, apiClients, apiClientSecrets, stages } from '@/db/schema'
import { hashClientSecret, newClientId, newClientSecret } from '../api-clients/secret'
import { permissionsBySlug } from '../authz/catalogue'
import { advanceTestClock, now } from '../clock'
import { systemCtx } from '../context'
import { issueClientToken } from './issue-client-token'

// Test helpers: API clients made by inserting rows, so the API pipeline's tests do not depend on
// the API client use cases.

let counter = 0

export type TestApiClient = { key: string; clientId: string; secret: string; name: string }

/** Permissions by slug, optionally limited to stage codes (DEV, QA, PRD). */
export type TestPermission = { slug: string; stages?: string[] }

async function permissionRows(clientKey: string, permissions: TestPermission[]) {
  const db = await getDb()
  const codes = [...new Set(permissions.flatMap((p) => p.stages ?? []))]
  const stageRows = codes.length ? await db.select({ key: stages.key, code: stages.code }).from(stages).where(inArray(stages.code, codes)) : []
  const keyOf = new Map(stageRows.map((s) => [s.code, s.key]))
  return permissions.map((p) => ({ clientKey, permissionKey: permissionsBySlug.get(p.slug)!.key, stageKeys: p.stages ? p.stages.map((c) => keyOf.get(c)!) : null }))
}

export async function insertApiClient(opts: { name?: string; permissions?: TestPermission[]; suspended?: boolean; secretExpiresAt?: Date } = {}): Promise<TestApiClient> {
  const db = await getDb()
  const name = opts.name ?? `Test client ${Date.now().toString(36)}-${++counter}`
  const clientId = newClientId()
  const secret = newClientSecret()
  const [client] = await db
    .insert(apiClients)
    .values({ clientId, name, suspendedAt: opts.suspended ? new Date() : null })
    .returning({ key: apiClients.key })
  await db.insert(apiClientSecrets).values({ clientKey: client.key, secretHash: hashClientSecret(secret), expiresAt: opts.secretExpiresAt ?? new Date(Date.now() + 90 * 86_400_000) })
  if (opts.permissions?.length) await db.insert(apiClientPermissions).values(await permissionRows(client.key, opts.permissions))
  return { key: client.key, clientId, secret, name }
}

/** Replaces the client's permissions, as an administrator's edit would. */
export async function setApiClientPermissions(clientKey: string, permissions: TestPermission[]): Promise<void> {
  const db = await getDb()
  await db.delete(apiClientPermissions).where(eq(apiClientPermissions.clientKey, clientKey))
  if (permissions.length) await db.insert(apiClientPermissions).values(await permissionRows(clientKey, permissions))
}

export async function setApiClientSuspended(clientKey: string, suspended: boolean): Promise<void> {
  const db = await getDb()
  await db.update(apiClients).set({ suspendedAt: suspended ? new Date() : null }).where(eq(apiClients.key, clientKey))
}

export async function deleteApiClientRow(clientKey: string): Promise<void> {
  const db = await getDb()
  await db.delete(apiClients).where(eq(apiClients.key, clientKey))
}

/** A bearer token for a test client, issued as the token endpoint issues it. */
export async function tokenFor(client: Pick<TestApiClient, 'clientId' | 'secret'>): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret })
  return (await issueClientToken(systemCtx('test'), form)).access_token
}

/** A token request as a client sends it: form-encoded, credentials in the body unless `basic`. */
/** Request options for a route handler under test: the bearer token (or none) and a JSON body. */
export function requestInit(token: string | null, method = 'GET', body?: unknown): RequestInit {
  return {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    // A string goes as it is, so that tests can send malformed JSON.
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  }
}

/** The second argument of a dynamic route handler whose segment is `[key]`. */
export const keyParams = (key: string) => ({ params: Promise.resolve({ key }) })

export function tokenRequest(form: Record<string, string>, init: { basic?: { id: string; secret: string }; headers?: Record<string, string> } = {}): Request {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...init.headers }
  if (init.basic) {
    const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+')
    headers.authorization = `Basic ${Buffer.from(`${encode(init.basic.id)}:${encode(init.basic.secret)}`).toString('base64')}`
  }
  return new Request('http://localhost:3000/identity/connect/token', { method: 'POST', headers, body: new URLSearchParams(form).toString() })
}

/**
 * Moves the test clock to just after the start of the next minute: a fresh rate limit window with
 * (almost) a whole minute ahead, so a test's requests all fall in one window. Needs
 * GATEHOUSE_TEST_CLOCK=1 before the configuration is first read: in a test file,
 *   vi.hoisted(() => { process.env.GATEHOUSE_TEST_CLOCK = '1' })
 */
export function toNextMinute(): Date {
  return advanceTestClock(60_000 - (now().getTime() % 60_000) + 50)
}

