import 'server-only'
import { and, count, eq, exists, ne, sql } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { roleAssignments, roles, users } from '@/db/schema'
import { activeOrgGrantCondition } from '../authz/load'
import type { Ctx } from '../context'
import { ForbiddenError, NotFoundError } from '../errors'

export async function findUserForUpdate(tx: Tx, userKey: string) {
  const [user] = await tx.select().from(users).where(eq(users.key, userKey)).for('update')
  if (!user) throw new NotFoundError('The user')
  return user
}

/** Nobody deactivates, deletes or demotes themselves (AUTHZ-6). */
export function refuseSelf(ctx: Ctx, userKey: string, what: string): void {
  if (ctx.actor?.type === 'user' && ctx.actor.userKey === userKey)
    throw new ForbiddenError(`You cannot ${what} yourself. Ask another administrator.`)
}

export async function administratorRoleKey(tx: Tx): Promise<string> {
  // Locking the role row serializes every change that could remove an administrator, so two
  // administrators demoting each other at the same time cannot leave the organization without one.
  const [role] = await tx.select({ key: roles.key }).from(roles).where(eq(roles.builtIn, 'administrator')).for('update')
  return role.key
}

/** Whether the user holds Administrator at organization scope right now. */
export async function isActiveAdministrator(tx: Tx, userKey: string, adminRoleKey: string, now: Date): Promise<boolean> {
  const [row] = await tx
    .select({ n: count() })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.userKey, userKey), eq(roleAssignments.roleKey, adminRoleKey), activeOrgGrantCondition(now)))
  return row.n > 0
}

/** Refuses when `userKey` is the last Active user holding Administrator (AUTHZ-6). */
export async function refuseLastAdministrator(tx: Tx, userKey: string, now: Date, what: string): Promise<void> {
  const adminRoleKey = await administratorRoleKey(tx)
  if (!(await isActiveAdministrator(tx, userKey, adminRoleKey, now))) return
  const [others] = await tx
    .select({ n: count() })
    .from(users)
    .where(
      and(
        ne(users.key, userKey),
        eq(users.status, 'Active'),
        exists(
          tx
            .select({ one: sql`1` })
            .from(roleAssignments)
            .where(and(eq(roleAssignments.userKey, users.key), eq(roleAssignments.roleKey, adminRoleKey), activeOrgGrantCondition(now))),
        ),
      ),
    )
  if (others.n === 0) throw new ForbiddenError(`You cannot ${what} the last active administrator. Make someone else an administrator first.`)
}

/** Keeps users.is_member in step with the user's organization role grants (see db/schema/users.ts). */
export async function refreshMembership(tx: Tx, userKey: string): Promise<void> {
  await tx
    .update(users)
    .set({ isMember: sql`exists (select 1 from ${roleAssignments} where ${roleAssignments.userKey} = ${userKey})` })
    .where(eq(users.key, userKey))
}
