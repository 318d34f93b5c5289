import 'server-only'
import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { groupMembers, users } from '@/db/schema'
import { refreshEndUserFlag } from '../access/end-user-flag'
import { audit } from '../audit/record'
import { nowOf, type Ctx } from '../context'
import { ValidationError } from '../errors'
import type { GroupRow } from './access'
import { instancesOfGroup } from './impact'

type UserRef = { key: string; name: string; email: string | null }

export const labelOf = (u: UserRef) => u.email ?? u.name

/**
 * Adds the user to the group as an Assigned member. They gain the group's roles on their next
 * request (AUTHZ-5). False when they already were (nothing written).
 */
export async function addMember(tx: Tx, ctx: Ctx, group: GroupRow, user: UserRef): Promise<boolean> {
  const inserted = await tx
    .insert(groupMembers)
    .values({ groupKey: group.key, userKey: user.key, type: 'Assigned', createdAt: nowOf(ctx) })
    .onConflictDoNothing()
    .returning({ userKey: groupMembers.userKey })
  if (inserted.length === 0) return false
  const roles = await instancesOfGroup(tx, group.key)
  if (roles.length > 0) await refreshEndUserFlag(tx, [user.key])
  await audit(tx, ctx, {
    action: 'group.member_added',
    target: { type: 'group', key: group.key, label: group.name },
    details: { user: { key: user.key, label: labelOf(user) }, type: 'Assigned', groupRoles: roles.length },
  })
  return true
}

/**
 * Removes an Assigned membership. Mapped memberships come from an identity provider's claim
 * mapping and are set again at the user's next sign-in, so they cannot be removed here. False when
 * the user was not in the group (nothing written).
 */
export async function removeMember(tx: Tx, ctx: Ctx, group: GroupRow, user: UserRef): Promise<boolean> {
  const memberships = await tx
    .select({ type: groupMembers.type })
    .from(groupMembers)
    .where(and(eq(groupMembers.groupKey, group.key), eq(groupMembers.userKey, user.key)))
  if (memberships.length === 0) return false
  if (!memberships.some((m) => m.type === 'Assigned'))
    throw new ValidationError(
      `${labelOf(user)} is in this group through an identity provider's claim mapping. Change the mapping or the user's claims at the provider; removing them here would be undone at their next sign-in.`,
    )
  await tx.delete(groupMembers).where(and(eq(groupMembers.groupKey, group.key), eq(groupMembers.userKey, user.key), eq(groupMembers.type, 'Assigned')))
  const roles = await instancesOfGroup(tx, group.key)
  if (roles.length > 0) await refreshEndUserFlag(tx, [user.key])
  await audit(tx, ctx, {
    action: 'group.member_removed',
    target: { type: 'group', key: group.key, label: group.name },
    details: { user: { key: user.key, label: labelOf(user) }, type: 'Assigned', groupRoles: roles.length, stillMapped: memberships.length > 1 },
  })
  return true
}

export async function findUser(tx: Tx, where: { key: string } | { email: string }): Promise<UserRef | undefined> {
  const [user] = await tx
    .select({ key: users.key, name: users.name, email: users.email })
    .from(users)
    .where('key' in where ? eq(users.key, where.key) : sql`lower(${users.email}) = ${where.email.toLowerCase()}`)
  return user
}
