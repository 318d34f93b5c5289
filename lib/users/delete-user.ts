import 'server-only'
import { count, eq } from 'drizzle-orm'
import { roleAssignments, sessions, users } from '@/db/schema'
import { audit } from '../audit/record'
import { requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { parse } from '../validation'
import { findUserForUpdate, refuseLastAdministrator, refuseSelf } from './guards'
import { userKeySchema } from './schemas'

/**
 * Deletes a user with their grants, sessions, credential and invitations (AUTH-8); the audit trail
 * keeps a record of who they were.
 */
export async function deleteUser(ctx: Ctx, input: unknown): Promise<void> {
  const { userKey } = parse(userKeySchema, input)
  await withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage')
    refuseSelf(ctx, userKey, 'delete')
    const user = await findUserForUpdate(tx, userKey)
    await refuseLastAdministrator(tx, userKey, nowOf(ctx), 'delete')
    const [grants] = await tx.select({ n: count() }).from(roleAssignments).where(eq(roleAssignments.userKey, userKey))
    const [live] = await tx.select({ n: count() }).from(sessions).where(eq(sessions.userKey, userKey))
    await tx.delete(users).where(eq(users.key, userKey))
    await audit(tx, ctx, {
      action: 'user.deleted',
      target: { type: 'user', key: userKey, label: user.email ?? user.name },
      before: { name: user.name, email: user.email, status: user.status },
      details: { grantsRemoved: grants.n, sessionsEnded: live.n },
    })
  })
}
