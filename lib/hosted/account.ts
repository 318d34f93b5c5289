import 'server-only'
import { eq } from 'drizzle-orm'
import { appRoleInstances, organizations, userCredentials, users, type UserStatus } from '@/db/schema'
import { loadHoldings } from '../access/end-user-roles'
import { audit, diff } from '../audit/record'
import type { PasswordPolicyMode } from '../auth/password-policy'
import { mergeHoldings, sourceLabel } from '../authz/end-user-roles'
import { nowOf, withTransaction, type Ctx } from '../context'
import { UnauthenticatedError } from '../errors'
import { parse } from '../validation'
import { stageKeyInputSchema, updateOwnProfileInputSchema } from './account-schemas'
import { listStageSessions, requireStageActor, type StageSessionView } from './account-sessions'

export type OwnProfile = { name: string; email: string | null; photoUrl: string | null; status: UserStatus; isEmailVerified: boolean }

export type StageAccount = {
  stage: { key: string; code: string; name: string }
  profile: OwnProfile
  /** A member's password is their portal credential too: they change it on the portal. */
  isMember: boolean
  hasPassword: boolean
  passwordPolicy: PasswordPolicyMode
  /** The apps in which the user holds end-user roles in this stage, by name, each role with where it comes from. */
  apps: Array<{ appKey: string; appName: string; roles: Array<{ roleName: string; sources: string[] }> }>
  sessions: StageSessionView[]
}

/**
 * HOST-1: the signed-in end-user's own account on a stage: their profile, the roles they hold in
 * this stage's apps (directly or through which group) and their sessions in this stage. A fixed
 * number of queries, whatever the number of apps, roles or groups.
 */
export async function getStageAccount(ctx: Ctx, input: unknown): Promise<StageAccount> {
  const { stageKey } = parse(stageKeyInputSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const now = nowOf(ctx)
    const me = await requireStageActor(tx, ctx, stageKey)
    const [user] = await tx
      .select({ name: users.name, email: users.email, photoUrl: users.photoUrl, status: users.status, isEmailVerified: users.isEmailVerified, isMember: users.isMember, passwordHash: userCredentials.passwordHash })
      .from(users)
      .leftJoin(userCredentials, eq(userCredentials.userKey, users.key))
      .where(eq(users.key, me.userKey))
    const [org] = await tx.select({ passwordPolicy: organizations.passwordPolicy }).from(organizations).limit(1)
    const held = mergeHoldings(await loadHoldings(tx, me.userKey, eq(appRoleInstances.stageKey, stageKey)))
    const apps = new Map<string, StageAccount['apps'][number]>()
    for (const h of held) {
      const app = apps.get(h.appKey) ?? { appKey: h.appKey, appName: h.appName, roles: [] }
      app.roles.push({ roleName: h.roleName, sources: h.sources.map(sourceLabel) })
      apps.set(h.appKey, app)
    }
    const { isMember, passwordHash, ...profile } = user
    return {
      stage: me.stage,
      profile,
      isMember,
      hasPassword: Boolean(passwordHash),
      passwordPolicy: (org?.passwordPolicy ?? 'odc') as PasswordPolicyMode,
      apps: [...apps.values()],
      sessions: await listStageSessions(tx, me, now),
    }
  })
}

/**
 * ODC's UpdateUserProfile for the signed-in user: their name and photo address. The email is not
 * changed here. Audited with the fields that changed; saving an unchanged profile writes nothing.
 */
export async function updateOwnProfile(ctx: Ctx, input: unknown): Promise<OwnProfile> {
  const data = parse(updateOwnProfileInputSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    // Only from a live session on that stage: the profile is edited on the stage's account page.
    const actor = await requireStageActor(tx, ctx, data.stageKey)
    const [user] = await tx
      .select({ name: users.name, email: users.email, photoUrl: users.photoUrl, status: users.status, isEmailVerified: users.isEmailVerified })
      .from(users)
      .where(eq(users.key, actor.userKey))
      .for('update')
    if (!user || user.status !== 'Active') throw new UnauthenticatedError('Your account is no longer active.')
    const after = { name: data.name, photoUrl: data.photoUrl || null }
    const changes = diff({ name: user.name, photoUrl: user.photoUrl }, after)
    if (Object.keys(changes.after).length === 0) return user
    await tx.update(users).set({ ...after, updatedAt: nowOf(ctx) }).where(eq(users.key, actor.userKey))
    await audit(tx, ctx, { action: 'user.profile_updated', target: { type: 'user', key: actor.userKey, label: user.email ?? after.name }, ...changes })
    return { ...user, ...after }
  })
}
