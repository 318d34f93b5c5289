import 'server-only'
import { asc, eq, sql } from 'drizzle-orm'
import { appRoleInstances, appRoles, apps, stages, users } from '@/db/schema'
import type { Tx } from '@/db/client'
import { catalogueFor, checkPermission, hasPermission, heldSomewhere } from '../authz'
import { checkEndUserRole } from '../authz/end-user-roles'
import { check, type Decision } from '../authz/evaluate'
import { loadUserPrincipal } from '../authz/load'
import { nowOf, withTransaction, type Ctx } from '../context'
import { ForbiddenError, ValidationError } from '../errors'
import { parse, uuidSchema } from '../validation'
import { canSeeUser } from '../users/visibility'
import { loadHoldings } from './end-user-roles'
import { checkAccessSchema } from './schemas'

const NO_USER = 'No user you may see has that email address.'

/** Whoever may see no users at all has nothing to ask about. */
async function requireSomeUsersVisible(tx: Tx, ctx: Ctx): Promise<void> {
  if (await hasPermission(tx, ctx, 'users.manage')) return
  if (await hasPermission(tx, ctx, 'users.view_members')) return
  if (heldSomewhere(await checkPermission(tx, ctx, 'endusers.view'))) return
  throw new ForbiddenError('You do not have permission to see users.')
}

export type AccessCheck = {
  allowed: boolean
  question: string
  reason: string
  /** Every reason it is allowed, or everything that came close, in words. */
  details: string[]
  user: { key: string; label: string }
}

const whyLabel: Record<Decision['nearMisses'][number]['why'], string> = {
  stage: 'limited to other stages',
  'no-stage': 'limited to some stages; name a stage to check it',
  scheduled: 'grant period has not started',
  expired: 'grant period has ended',
  'other-app': 'granted for another app',
  'organization-only': 'only works at organization scope, not in an app role',
}

/**
 * "Check access" (AUTHZ-3): may this user do this permission (optionally on an app, in a stage),
 * or do they hold this end-user role in this stage? Answered by the same evaluator every use case
 * uses, with the chain of reasons or what is missing.
 */
export async function checkAccess(ctx: Ctx, input: unknown): Promise<AccessCheck> {
  const p = parse(checkAccessSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requireSomeUsersVisible(tx, ctx)
    const byKey = uuidSchema.safeParse(p.user).success
    const [user] = await tx
      .select({ key: users.key, name: users.name, email: users.email, isMember: users.isMember, isEndUser: users.isEndUser })
      .from(users)
      .where(byKey ? eq(users.key, p.user) : sql`lower(${users.email}) = ${p.user.toLowerCase()}`)
    // One answer for "no such user" and "not one you may see": the form must not reveal who has an account.
    if (!user || !(await canSeeUser(tx, ctx, user))) throw new ValidationError(NO_USER, { user: [NO_USER] })
    const label = user.email ?? user.name
    const catalogue = await catalogueFor(tx, ctx)
    const stage = p.stageKey ? catalogue.stages.get(p.stageKey) : undefined
    if (p.stageKey && !stage) throw new ValidationError('Choose an existing stage.', { stageKey: ['That stage does not exist.'] })

    if (p.appRoleKey) {
      const [role] = await tx
        .select({ key: appRoles.key, name: appRoles.name, appKey: apps.key, appName: apps.name })
        .from(appRoles)
        .innerJoin(apps, eq(apps.key, appRoles.appKey))
        .where(eq(appRoles.key, p.appRoleKey))
      if (!role) throw new ValidationError('Choose an existing end-user role.', { appRoleKey: ['That role no longer exists.'] })
      const holdings = await loadHoldings(tx, user.key, eq(appRoleInstances.appKey, role.appKey))
      const decision = checkEndUserRole(holdings, { appRoleKey: role.key, roleName: role.name, appName: role.appName }, stage!)
      return {
        allowed: decision.allowed,
        question: `Does ${label} hold “${role.name}” of ${role.appName} in ${stage!.code}?`,
        reason: decision.reason,
        details: decision.sources.map((s) => (s.type === 'Direct' ? 'Assigned directly' : `Through group “${s.groupName}” (${s.membershipType.toLowerCase()})`)),
        user: { key: user.key, label },
      }
    }

    const def = catalogue.permissions.get(p.permission!)
    if (!def) throw new ValidationError('Choose a permission from the list.', { permission: ['Unknown permission.'] })
    let appName: string | null = null
    if (p.appKey) {
      const [app] = await tx.select({ name: apps.name }).from(apps).where(eq(apps.key, p.appKey))
      if (!app) throw new ValidationError('Choose an existing app.', { appKey: ['That app no longer exists.'] })
      appName = app.name
    }
    const principal = await loadUserPrincipal(tx, { key: user.key, label })
    const decision = check(principal, catalogue, def.slug, { appKey: p.appKey, stageKey: p.stageKey }, nowOf(ctx))
    const where = [appName && `on ${appName}`, stage && `in ${stage.code}`].filter(Boolean).join(' ')
    const scope = (s: { appKey: string | null; appName: string | null }) => (s.appKey ? `app role for ${s.appName}` : 'organization role')
    const stagesOf = (keys: string[] | null) => (keys === null ? 'every stage' : keys.map((k) => catalogue.stages.get(k)?.code ?? '?').join(', '))
    const via = (chain: string[]) => (chain.length > 1 ? ` (included in ${catalogue.permissions.get(chain[0])?.name ?? chain[0]})` : '')
    return {
      allowed: decision.allowed,
      question: `May ${label} use “${def.category} · ${def.name}”${where ? ` ${where}` : ''}?`,
      reason: decision.reason,
      details: decision.allowed
        ? decision.sources.map((s) => `“${s.roleName}”, ${scope(s)}, ${stagesOf(s.stageKeys)}${via(s.chain)}`)
        : decision.nearMisses.map((m) => `“${m.roleName}”, ${scope(m)}: ${whyLabel[m.why]}${m.why === 'stage' ? ` (${stagesOf(m.stageKeys)})` : ''}`),
      user: { key: user.key, label },
    }
  })
}

export type CheckOptions = {
  permissions: Array<{ slug: string; label: string }>
  appRoles: Array<{ key: string; label: string }>
  apps: Array<{ key: string; name: string }>
  stages: Array<{ key: string; code: string; name: string }>
}

/** What the Check access form offers. Any member may open it; the check itself decides what they may ask. */
export async function getCheckOptions(ctx: Ctx): Promise<CheckOptions> {
  return withTransaction(ctx, async (tx, ctx) => {
    await requireSomeUsersVisible(tx, ctx)
    const catalogue = await catalogueFor(tx, ctx)
    const roleRows = await tx
      .select({ key: appRoles.key, role: appRoles.name, app: apps.name })
      .from(appRoles)
      .innerJoin(apps, eq(apps.key, appRoles.appKey))
      .orderBy(sql`lower(${apps.name})`, sql`lower(${appRoles.name})`)
      .limit(1000)
    const appRows = await tx.select({ key: apps.key, name: apps.name }).from(apps).orderBy(sql`lower(${apps.name})`).limit(500)
    const stageRows = await tx.select({ key: stages.key, code: stages.code, name: stages.name }).from(stages).orderBy(asc(stages.position))
    return {
      permissions: [...catalogue.permissions.values()].sort((a, b) => a.position - b.position).map((d) => ({ slug: d.slug, label: `${d.category} · ${d.name}` })),
      appRoles: roleRows.map((r) => ({ key: r.key, label: `${r.app} · ${r.role}` })),
      apps: appRows,
      stages: stageRows,
    }
  })
}
