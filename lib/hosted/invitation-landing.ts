import 'server-only'
import { and, asc, eq, exists, inArray, or } from 'drizzle-orm'
import { appRoleInstances, endUserRoleAssignments, groupMembers, groupRoles, groups, stages, users } from '@/db/schema'
import { withTransaction, type Ctx } from '../context'
import { NotFoundError } from '../errors'

export type InvitationLanding = { kind: 'portal' } | { kind: 'stage'; stage: { key: string; code: string } } | { kind: 'ready' }

/**
 * Where someone who just accepted an invitation goes (AUTH-5): a member to the portal; an end-user
 * to the hosted pages of the first stage (by position) where they hold an application role,
 * directly or through a group; an end-user with no role yet to a page saying the account is ready.
 * Called after acceptInvitation succeeded for this user.
 */
export async function invitationLanding(ctx: Ctx, userKey: string): Promise<InvitationLanding> {
  return withTransaction(ctx, async (tx) => {
    const [user] = await tx.select({ isMember: users.isMember }).from(users).where(eq(users.key, userKey))
    if (!user) throw new NotFoundError('The user')
    if (user.isMember) return { kind: 'portal' }
    const direct = tx
      .select({ stageKey: appRoleInstances.stageKey })
      .from(endUserRoleAssignments)
      .innerJoin(appRoleInstances, eq(appRoleInstances.key, endUserRoleAssignments.instanceKey))
      .where(eq(endUserRoleAssignments.userKey, userKey))
    // A group's roles are instances in the group's own stage.
    const viaGroups = tx
      .select({ stageKey: groups.stageKey })
      .from(groupMembers)
      .innerJoin(groups, eq(groups.key, groupMembers.groupKey))
      .where(and(eq(groupMembers.userKey, userKey), exists(tx.select({ one: groupRoles.groupKey }).from(groupRoles).where(eq(groupRoles.groupKey, groupMembers.groupKey)))))
    const [stage] = await tx
      .select({ key: stages.key, code: stages.code })
      .from(stages)
      .where(or(inArray(stages.key, direct), inArray(stages.key, viaGroups)))
      .orderBy(asc(stages.position))
      .limit(1)
    return stage ? { kind: 'stage', stage } : { kind: 'ready' }
  })
}

