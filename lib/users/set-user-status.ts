import 'server-only'
import { eq } from 'drizzle-orm'
import { users } from '@/db/schema'
import { audit } from '../audit/record'
import { revokeUserSessions } from '../auth/sessions'
import { requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { ConflictError } from '../errors'
import { parse } from '../validation'
import { findUserForUpdate, refuseLastAdministrator, refuseSelf } from './guards'
import { userKeySchema } from './schemas'

/** Inactive users cannot sign in anywhere; their sessions end at once (AUTH-8, INV-7). */
export async function deactivateUser(ctx: Ctx, input: unknown): Promise<{ sessionsEnded: number }> {
  const { userKey } = parse(userKeySchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage')
    const now = nowOf(ctx)
    refuseSelf(ctx, userKey, 'deactivate')
    const user = await findUserForUpdate(tx, userKey)
    if (user.status === 'Inactive') throw new ConflictError('This user is already inactive.')
    if (user.status !== 'Active') throw new ConflictError('Only active users can be deactivated. Delete an unaccepted invitation instead.')
    await refuseLastAdministrator(tx, userKey, now, 'deactivate')
    await tx.update(users).set({ status: 'Inactive', updatedAt: now }).where(eq(users.key, userKey))
    const sessionsEnded = await revokeUserSessions(tx, userKey, now)
    await audit(tx, ctx, { action: 'user.deactivated', target: { type: 'user', key: userKey, label: user.email ?? user.name }, before: { status: user.status }, after: { status: 'Inactive' }, details: { sessionsEnded } })
    return { sessionsEnded }
  })
}

export async function activateUser(ctx: Ctx, input: unknown): Promise<void> {
  const { userKey } = parse(userKeySchema, input)
  await withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage')
    const user = await findUserForUpdate(tx, userKey)
    if (user.status !== 'Inactive') throw new ConflictError(user.status === 'Active' ? 'This user is already active.' : 'Only inactive users can be activated.')
    await tx.update(users).set({ status: 'Active', updatedAt: nowOf(ctx) }).where(eq(users.key, userKey))
    await audit(tx, ctx, { action: 'user.activated', target: { type: 'user', key: userKey, label: user.email ?? user.name }, before: { status: 'Inactive' }, after: { status: 'Active' } })
  })
}
