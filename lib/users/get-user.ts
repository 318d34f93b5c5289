import 'server-only'
import { and, count, desc, eq, gt, isNull } from 'drizzle-orm'
import { apps, invitations, roleAssignments, roles, sessions, userCredentials, users, type UserStatus } from '@/db/schema'
import { checkPermission, hasPermission, heldSomewhere } from '../authz'
import { periodState, type GrantPeriodState } from '../authz/evaluate'
import { nowOf, withTransaction, type Ctx } from '../context'
import { NotFoundError } from '../errors'
import { parse } from '../validation'
import { userKeySchema } from './schemas'
import { requireCanSeeUser } from './visibility'

export type UserDetail = {
  key: string
  name: string
  email: string | null
  photoUrl: string | null
  status: UserStatus
  isEmailVerified: boolean
  isMember: boolean
  isEndUser: boolean
  lastLoginAt: Date | null
  createdAt: Date
  updatedAt: Date
  lockedUntil: Date | null
  failedAttempts: number
  liveSessions: number
  invitation: { expiresAt: Date; expired: boolean } | null
  organizationRole: { key: string; name: string; state: GrantPeriodState; startsAt: Date | null; endsAt: Date | null } | null
  appRoles: Array<{ appKey: string; appName: string; roleKey: string; roleName: string; state: GrantPeriodState; startsAt: Date | null; endsAt: Date | null }>
  /** What the viewer may do on this page; the use cases check again on submit. */
  can: { manage: boolean; manageAccess: boolean; viewEndUserAccess: boolean; isSelf: boolean }
}

export async function getUser(ctx: Ctx, input: unknown): Promise<UserDetail> {
  const { userKey } = parse(userKeySchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const now = nowOf(ctx)
    const manage = await hasPermission(tx, ctx, 'users.manage')
    const manageAccess = await hasPermission(tx, ctx, 'users.manage_member_access')
    const viewEndUsers = heldSomewhere(await checkPermission(tx, ctx, 'endusers.view'))
    const [user] = await tx.select().from(users).where(eq(users.key, userKey))
    if (!user) throw new NotFoundError('The user')
    await requireCanSeeUser(tx, ctx, user)
    const [cred] = await tx.select({ lockedUntil: userCredentials.lockedUntil, failedAttempts: userCredentials.failedAttempts }).from(userCredentials).where(eq(userCredentials.userKey, userKey))
    const [live] = await tx.select({ n: count() }).from(sessions).where(and(eq(sessions.userKey, userKey), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    const [invite] = await tx
      .select({ expiresAt: invitations.expiresAt })
      .from(invitations)
      .where(and(eq(invitations.userKey, userKey), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .orderBy(desc(invitations.createdAt))
      .limit(1)
    const grants = await tx
      .select({ roleKey: roles.key, roleName: roles.name, appKey: roleAssignments.appKey, appName: apps.name, startsAt: roleAssignments.startsAt, endsAt: roleAssignments.endsAt })
      .from(roleAssignments)
      .innerJoin(roles, eq(roles.key, roleAssignments.roleKey))
      .leftJoin(apps, eq(apps.key, roleAssignments.appKey))
      .where(eq(roleAssignments.userKey, userKey))
    const org = grants.find((g) => g.appKey === null)
    return {
      key: user.key,
      name: user.name,
      email: user.email,
      photoUrl: user.photoUrl,
      status: user.status,
      isEmailVerified: user.isEmailVerified,
      isMember: user.isMember,
      isEndUser: user.isEndUser,
      lastLoginAt: user.lastLoginAt,
      createdAt: user.createdAt,
      updatedAt: user.updatedAt,
      lockedUntil: cred?.lockedUntil && cred.lockedUntil > now ? cred.lockedUntil : null,
      failedAttempts: cred?.failedAttempts ?? 0,
      liveSessions: live.n,
      invitation: invite ? { expiresAt: invite.expiresAt, expired: invite.expiresAt <= now } : null,
      organizationRole: org ? { key: org.roleKey, name: org.roleName, state: periodState(org, now), startsAt: org.startsAt, endsAt: org.endsAt } : null,
      appRoles: grants
        .filter((g) => g.appKey !== null)
        .map((g) => ({ appKey: g.appKey!, appName: g.appName ?? '', roleKey: g.roleKey, roleName: g.roleName, state: periodState(g, now), startsAt: g.startsAt, endsAt: g.endsAt })),
      can: { manage, manageAccess, viewEndUserAccess: manage || viewEndUsers, isSelf: ctx.actor?.type === 'user' && ctx.actor.userKey === userKey },
    }
  })
}
