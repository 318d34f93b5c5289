import 'server-only'
import { inArray, sql, type SQL } from 'drizzle-orm'
import type { Executor } from '@/db/client'
import { endUserRoleAssignments, groupMembers, groupRoles, users } from '@/db/schema'

/**
 * Keeps users.is_end_user in step with application role grants (USR-2): a user is an end-user while
 * they hold any application role, directly or through a group that grants at least one. Every use
 * case that adds or removes such a grant calls this for the users it touched, in its transaction,
 * so the users filter and the dashboard count are exact right after the change.
 *
 * `who` is a list of user keys or a subquery selecting user keys (a whole group's members), so a
 * change that touches a hundred thousand users is one statement, not a loop.
 */
export async function refreshEndUserFlag(tx: Executor, who: string[] | SQL): Promise<void> {
  if (Array.isArray(who) && who.length === 0) return
  const holds = sql`(
    exists (select 1 from ${endUserRoleAssignments} where ${endUserRoleAssignments.userKey} = ${users.key})
    or exists (
      select 1 from ${groupMembers} join ${groupRoles} on ${groupRoles.groupKey} = ${groupMembers.groupKey}
      where ${groupMembers.userKey} = ${users.key}
    )
  )`
  await tx
    .update(users)
    .set({ isEndUser: holds })
    .where(Array.isArray(who) ? inArray(users.key, who) : sql`${users.key} in (${who})`)
}
