import 'server-only'
import { and, eq, ne, sql } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { appRoles } from '@/db/schema'
import { requirePermission } from '../authz'
import type { Ctx } from '../context'
import { ConflictError, NotFoundError } from '../errors'
import { lockApp } from './access'

/**
 * Finds an application role and authorizes managing it: asset.change on its app. The app row is
 * locked first, so role edits queue behind a concurrent (un)deployment of the same app.
 */
export async function authorizeRole(tx: Tx, ctx: Ctx, roleKey: string) {
  const [found] = await tx.select({ appKey: appRoles.appKey }).from(appRoles).where(eq(appRoles.key, roleKey))
  if (!found) throw new NotFoundError('The role')
  await requirePermission(tx, ctx, 'asset.change', { appKey: found.appKey })
  const app = await lockApp(tx, found.appKey)
  const [role] = await tx.select().from(appRoles).where(eq(appRoles.key, roleKey)).for('update')
  if (!role) throw new NotFoundError('The role')
  return { app, role }
}

/** Role names are unique per app, ignoring case (the unique index app_roles_name_unique says so too). */
export async function refuseDuplicateRoleName(tx: Tx, appKey: string, name: string, exceptKey?: string): Promise<void> {
  const [taken] = await tx
    .select({ name: appRoles.name })
    .from(appRoles)
    .where(and(eq(appRoles.appKey, appKey), sql`lower(${appRoles.name}) = ${name.toLowerCase()}`, exceptKey ? ne(appRoles.key, exceptKey) : undefined))
    .limit(1)
  if (taken) throw new ConflictError('This app already has a role with this name.', { name: [`This app already has a role named “${taken.name}”. Choose another name.`] })
}

export const roleAuditFields = (r: { name: string; description: string; isPublic: boolean; claimName: string }) => ({
  name: r.name,
  description: r.description,
  isPublic: r.isPublic,
  claimName: r.claimName,
})
