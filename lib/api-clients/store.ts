import 'server-only'
import { and, asc, eq, ne, sql } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { apiClientPermissions, apiClients, apiClientSecrets } from '@/db/schema'
import { requirePermission } from '../authz'
import { permissionDefs, permissionsBySlug } from '../authz/catalogue'
import type { Catalogue, GrantedPermission } from '../authz/model'
import type { Ctx } from '../context'
import { isUniqueViolation } from '../db-errors'
import { ConflictError, NotFoundError, ValidationError } from '../errors'
import { coverageOf, lostCoverage, stageCodes } from '../roles/coverage'
import { endOfUtcDay, hashClientSecret, newClientSecret } from './secret'
import { checkExpiryDate, parseUtcDate, REMINDER_DAYS } from './expiry'

/** Every use case of this area needs Manage API clients at organization scope (APIC-1). */
export const MANAGE_API_CLIENTS = 'users.manage_api_clients'

export const requireClientManager = (tx: Tx, ctx: Ctx) => requirePermission(tx, ctx, MANAGE_API_CLIENTS)

export type ApiClientRow = typeof apiClients.$inferSelect

export async function findApiClient(tx: Tx, clientKey: string, opts: { forUpdate?: boolean } = {}): Promise<ApiClientRow> {
  const query = tx.select().from(apiClients).where(eq(apiClients.key, clientKey))
  const [client] = opts.forUpdate ? await query.for('update') : await query
  if (!client) throw new NotFoundError('The API client')
  return client
}

export const STALE_CLIENT_MESSAGE = 'This API client was changed by someone else while you were editing. Reload to see their changes.'

export function checkVersion(client: { version: number }, version: number | undefined): void {
  if (version !== undefined && client.version !== version) throw new ConflictError(STALE_CLIENT_MESSAGE)
}

const slugByKey = new Map(permissionDefs.map((p) => [p.key, p.slug]))

export async function loadClientGrants(tx: Tx, clientKey: string): Promise<GrantedPermission[]> {
  const rows = await tx.select({ permissionKey: apiClientPermissions.permissionKey, stageKeys: apiClientPermissions.stageKeys }).from(apiClientPermissions).where(eq(apiClientPermissions.clientKey, clientKey))
  return rows
    .filter((r) => slugByKey.has(r.permissionKey))
    .map((r) => ({ slug: slugByKey.get(r.permissionKey)!, stageKeys: r.stageKeys }))
    .sort((a, b) => permissionsBySlug.get(a.slug)!.position - permissionsBySlug.get(b.slug)!.position)
}

export async function replaceClientGrants(tx: Tx, clientKey: string, grants: GrantedPermission[]): Promise<void> {
  await tx.delete(apiClientPermissions).where(eq(apiClientPermissions.clientKey, clientKey))
  if (grants.length === 0) return
  await tx.insert(apiClientPermissions).values(grants.map((g) => ({ clientKey, permissionKey: permissionsBySlug.get(g.slug)!.key, stageKeys: g.stageKeys })))
}

/** "release.deploy@DEV,QA" per permission, after inheritance: what the client can do, for the audit trail. */
function coverageStrings(coverage: Map<string, string[] | null>, catalogue: Catalogue): string[] {
  const position = (slug: string) => catalogue.permissions.get(slug)?.position ?? Number.MAX_SAFE_INTEGER
  return [...coverage.entries()].sort(([a], [b]) => position(a) - position(b)).map(([slug, stages]) => (stages === null ? slug : `${slug}@${stageCodes(stages, catalogue)!.join(',')}`))
}

/** What a permission change gives and takes away once inheritance is applied: the audit's impact. */
export function permissionChange(before: GrantedPermission[], after: GrantedPermission[], catalogue: Catalogue): { added: string[]; removed: string[] } {
  const all = [...catalogue.stages.keys()]
  const was = coverageOf(before, catalogue, 'organization')
  const now = coverageOf(after, catalogue, 'organization')
  return { added: coverageStrings(lostCoverage(now, was, all), catalogue), removed: coverageStrings(lostCoverage(was, now, all), catalogue) }
}

const nameTaken = () => new ConflictError('Some fields need attention.', { name: ['Another API client already has this name.'] })

/** Names are unique whatever their case; the unique index is the final word on a race. */
export async function refuseTakenName(tx: Tx, name: string, exceptKey?: string): Promise<void> {
  const [row] = await tx
    .select({ key: apiClients.key })
    .from(apiClients)
    .where(and(sql`lower(${apiClients.name}) = lower(${name})`, exceptKey ? ne(apiClients.key, exceptKey) : undefined))
  if (row) throw nameTaken()
}

export function uniqueNameError(error: unknown): never {
  if (isUniqueViolation(error, 'api_clients_name_unique')) throw nameTaken()
  throw error
}

/** The end of the chosen expiry day (UTC), or a field error naming `expiresOn`. */
export function resolveExpiry(expiresOn: string | undefined, now: Date): { expiresOn: string; expiresAt: Date } {
  const checked = checkExpiryDate(expiresOn, now)
  if (!checked.ok) throw new ValidationError('Some fields need attention.', { expiresOn: [checked.message] })
  return { expiresOn: checked.date, expiresAt: endOfUtcDay(parseUtcDate(checked.date)!) }
}

/**
 * Creates a secret for the client and returns it: the only moment it exists outside a hash
 * (APIC-4). Never pass the returned value to the audit trail or a log.
 */
export async function issueSecret(tx: Tx, clientKey: string, opts: { expiresAt: Date; remind: boolean; now: Date }): Promise<string> {
  const secret = newClientSecret()
  await tx.insert(apiClientSecrets).values({ clientKey, secretHash: hashClientSecret(secret), expiresAt: opts.expiresAt, remind: opts.remind, createdAt: opts.now })
  return secret
}

export type StoredSecret = { key: string; expiresAt: Date; retiresAt: Date | null; createdAt: Date; remind: boolean; remindedAt: Date | null }

export async function loadSecrets(tx: Tx, clientKey: string): Promise<StoredSecret[]> {
  return tx
    .select({ key: apiClientSecrets.key, expiresAt: apiClientSecrets.expiresAt, retiresAt: apiClientSecrets.retiresAt, createdAt: apiClientSecrets.createdAt, remind: apiClientSecrets.remind, remindedAt: apiClientSecrets.remindedAt })
    .from(apiClientSecrets)
    .where(eq(apiClientSecrets.clientKey, clientKey))
    .orderBy(asc(apiClientSecrets.createdAt), asc(apiClientSecrets.key))
}

/**
 * The status rules of lib/api-clients/status.ts in SQL, for filtering and paging the list: the
 * current secret is the live one not yet replaced (else the newest live one).
 */
export function statusSql(now: Date) {
  const current = sql`(select s.expires_at from ${apiClientSecrets} s
    where s.client_key = ${apiClients.key} and s.expires_at > ${now} and (s.retires_at is null or s.retires_at > ${now})
    order by (s.retires_at is null) desc, s.created_at desc limit 1)`
  const hasPermission = sql`exists (select 1 from ${apiClientPermissions} p where p.client_key = ${apiClients.key})`
  return sql<string>`case
    when ${apiClients.suspendedAt} is not null then 'Suspended'
    when ${current} is null then 'Expired'
    when not ${hasPermission} or ${current} <= ${now}::timestamptz + make_interval(days => ${REMINDER_DAYS}) then 'Needs attention'
    else 'Available' end`
}
