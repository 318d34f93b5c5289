import 'server-only'
import { count, eq, sql } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { appRoleInstances, appRoles, apps, roleAssignments } from '@/db/schema'
import { audit } from '../audit/record'
import { requirePermission } from '../authz'
import { withTransaction, type Ctx } from '../context'
import { ConflictError } from '../errors'
import { parse } from '../validation'
import { findApp, lockApp, staleMessage } from './access'
import { instanceImpact, removingInstances, type Impact } from './impact'
import { appKeySchema, deleteAppSchema } from './schemas'

export type AppDeletionImpact = {
  roles: number
  /** End-users and groups that lose the app's roles, per stage. */
  impact: Impact
  /** Members whose organization role for this app (app scope) is removed with it. */
  members: number
}

async function deletionImpact(tx: Tx, appKey: string): Promise<AppDeletionImpact> {
  const [roles] = await tx.select({ n: count() }).from(appRoles).where(eq(appRoles.appKey, appKey))
  const [members] = await tx.select({ n: count() }).from(roleAssignments).where(eq(roleAssignments.appKey, appKey))
  return { roles: roles.n, impact: await instanceImpact(tx, eq(appRoleInstances.appKey, appKey)), members: members.n }
}

/** What deleting the app would take away, for the confirmation. */
export async function previewAppDeletion(ctx: Ctx, input: unknown): Promise<AppDeletionImpact> {
  const { appKey } = parse(appKeySchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'asset.delete', { appKey })
    await findApp(tx, appKey)
    return deletionImpact(tx, appKey)
  })
}

/**
 * Deletes an app with its roles and their instances: end-users and groups lose those roles, and
 * members lose their organization roles for this app. The audit event keeps the counts.
 */
export async function deleteApp(ctx: Ctx, input: unknown): Promise<AppDeletionImpact> {
  const { appKey, version } = parse(deleteAppSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'asset.delete', { appKey })
    const app = await lockApp(tx, appKey)
    if (version !== undefined && app.version !== version) throw new ConflictError(staleMessage('app'))
    const counts = await deletionImpact(tx, appKey)
    await removingInstances(tx, eq(appRoleInstances.appKey, appKey), async () => {
      // App-scope organization roles go with the app; is_member is recomputed for their holders in
      // the same statement (its subquery still sees the removed rows, hence the app_key condition).
      await tx.execute(sql`
        with removed as (delete from ${roleAssignments} where ${roleAssignments.appKey} = ${appKey} returning ${roleAssignments.userKey})
        update users set is_member = exists (
          select 1 from ${roleAssignments} where ${roleAssignments.userKey} = users.key and ${roleAssignments.appKey} is distinct from ${appKey}
        ) where users.key in (select user_key from removed)`)
      await tx.delete(apps).where(eq(apps.key, appKey))
    })
    await audit(tx, ctx, {
      action: 'app.deleted',
      target: { type: 'app', key: appKey, label: app.name },
      before: { name: app.name, description: app.description },
      details: {
        counts: {
          roles: counts.roles,
          usersLosingRoles: counts.impact.users,
          groupsLosingRoles: counts.impact.groups,
          membersLosingAppRoles: counts.members,
          byStage: counts.impact.stages.map((s) => ({ stage: s.stageCode, users: s.users, groups: s.groups })),
        },
      },
    })
    return counts
  })
}
