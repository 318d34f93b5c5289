import 'server-only'
import { eq } from 'drizzle-orm'
import { groupRoles, groups } from '@/db/schema'
import { refreshEndUserFlag } from '../access/end-user-flag'
import { audit } from '../audit/record'
import { withTransaction, type Ctx } from '../context'
import { parse } from '../validation'
import { checkVersion, groupFor } from './access'
import { instancesOfGroup, memberCount, membersOf, roleLosses, usersLosing, type AffectedUser, type RoleLoss } from './impact'
import { deleteGroupSchema, groupKeySchema } from './schemas'

export type GroupDeletionImpact = {
  members: number
  /** Each role the group grants, with how many members lose it (they hold it nowhere else). */
  roles: RoleLoss[]
  /** Members who lose at least one role, and the first of them by name. */
  usersLosingAccess: number
  firstUsers: AffectedUser[]
}

/** What deleting the group would take away, for the confirmation (GRP-3, §12). */
export async function previewGroupDeletion(ctx: Ctx, input: unknown): Promise<GroupDeletionImpact> {
  const { groupKey } = parse(groupKeySchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await groupFor(tx, ctx, groupKey, { manage: true })
    const instances = await instancesOfGroup(tx, groupKey)
    const losing = await usersLosing(tx, groupKey, instances)
    return { members: await memberCount(tx, groupKey), roles: await roleLosses(tx, groupKey, instances), usersLosingAccess: losing.total, firstUsers: losing.first }
  })
}

/**
 * Deletes a group with its role grants and memberships: its members lose the roles they held only
 * through it (GRP-3). The audit event records the counts.
 */
export async function deleteGroup(ctx: Ctx, input: unknown): Promise<void> {
  const { groupKey, version } = parse(deleteGroupSchema, input)
  await withTransaction(ctx, async (tx, ctx) => {
    const group = await groupFor(tx, ctx, groupKey, { manage: true, lock: 'update' })
    checkVersion(group, version)
    const instances = await instancesOfGroup(tx, groupKey)
    const losses = await roleLosses(tx, groupKey, instances)
    const losing = await usersLosing(tx, groupKey, instances, 0)
    const members = await memberCount(tx, groupKey)
    // Take the roles away first: the members are then still known, and since the group grants
    // nothing any more the end-user flag can be recomputed for all of them in one statement.
    // Afterwards the cascade removes the memberships, which no longer affect the flag.
    if (instances.length > 0) {
      await tx.delete(groupRoles).where(eq(groupRoles.groupKey, groupKey))
      await refreshEndUserFlag(tx, membersOf(groupKey))
    }
    await tx.delete(groups).where(eq(groups.key, groupKey))
    await audit(tx, ctx, {
      action: 'group.deleted',
      target: { type: 'group', key: groupKey, label: group.name },
      before: { name: group.name, description: group.description, stage: group.stageCode },
      details: {
        counts: { users: members, roles: instances.length, usersLosingAccess: losing.total },
        rolesLost: losses.map((l) => ({ role: `${l.appName} · ${l.roleName}`, users: l.users })),
      },
    })
  })
}
