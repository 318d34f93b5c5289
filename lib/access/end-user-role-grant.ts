import 'server-only'
import { and, eq } from 'drizzle-orm'
import { z } from 'zod'
import type { Tx } from '@/db/client'
import { appRoleInstances, endUserRoleAssignments } from '@/db/schema'
import { checkPermission, heldSomewhere, requirePermission } from '../authz'
import { withTransaction, type Ctx } from '../context'
import { ForbiddenError, NotFoundError } from '../errors'
import { findUserForUpdate } from '../users/guards'
import { parse, uuidSchema } from '../validation'
import { setEndUserRoles } from './end-user-access'

// One application role instance granted to or revoked from one user directly (EUR-1), for callers
// that name a single role (the identity API) rather than save a whole grid. The change itself is
// setEndUserRoles's, so the rules, the end-user flag and the audit event are the grid's.

const grantSchema = z.strictObject({ userKey: uuidSchema, instanceKey: uuidSchema })

/**
 * The instance and the user, after the checks every caller gets in the same order: no permission
 * anywhere (403), unknown role (404), no permission in the role's app and stage (403), unknown
 * user (404). The user row stays locked, so the direct roles read next cannot change underneath.
 */
async function prepare(tx: Tx, ctx: Ctx, userKey: string, instanceKey: string) {
  if (!heldSomewhere(await checkPermission(tx, ctx, 'endusers.manage_access'))) throw new ForbiddenError('You do not have permission to change end-user access.')
  const [instance] = await tx.select({ appKey: appRoleInstances.appKey, stageKey: appRoleInstances.stageKey }).from(appRoleInstances).where(eq(appRoleInstances.key, instanceKey))
  if (!instance) throw new NotFoundError('The application role')
  await requirePermission(tx, ctx, 'endusers.manage_access', instance)
  await findUserForUpdate(tx, userKey)
  const direct = await tx
    .select({ key: endUserRoleAssignments.instanceKey })
    .from(endUserRoleAssignments)
    .innerJoin(appRoleInstances, eq(appRoleInstances.key, endUserRoleAssignments.instanceKey))
    .where(and(eq(endUserRoleAssignments.userKey, userKey), eq(appRoleInstances.appKey, instance.appKey)))
  return { appKey: instance.appKey, held: direct.map((d) => d.key) }
}

/** Grants the role directly; granting one the user already holds directly changes nothing. */
export async function grantEndUserRole(ctx: Ctx, input: unknown): Promise<{ changed: boolean }> {
  const { userKey, instanceKey } = parse(grantSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const { appKey, held } = await prepare(tx, ctx, userKey, instanceKey)
    if (held.includes(instanceKey)) return { changed: false }
    await setEndUserRoles(ctx, { userKey, appKeys: [appKey], instanceKeys: [...held, instanceKey] })
    return { changed: true }
  })
}

/**
 * Revokes the direct grant; the same role through a group stays (it is the group's). Revoking a
 * role the user does not hold directly changes nothing.
 */
export async function revokeEndUserRole(ctx: Ctx, input: unknown): Promise<{ changed: boolean }> {
  const { userKey, instanceKey } = parse(grantSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const { appKey, held } = await prepare(tx, ctx, userKey, instanceKey)
    if (!held.includes(instanceKey)) return { changed: false }
    await setEndUserRoles(ctx, { userKey, appKeys: [appKey], instanceKeys: held.filter((k) => k !== instanceKey) })
    return { changed: true }
  })
}
