import 'server-only'
import { eq } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { users } from '@/db/schema'
import { catalogueFor, requireSignedIn } from '../authz'
import { mergeHoldings, sourceLabel } from '../authz/end-user-roles'
import { effectivePermissions, periodState, type GrantPeriodState, type Source } from '../authz/evaluate'
import { loadUserPrincipal } from '../authz/load'
import type { Principal } from '../authz/model'
import { nowOf, withTransaction, type Ctx } from '../context'
import { NotFoundError } from '../errors'
import { parse } from '../validation'
import { userKeySchema } from '../users/schemas'
import { requireCanSeeUser } from '../users/visibility'
import { loadHoldings } from './end-user-roles'

export type ExplainedSource = Source & { scopeLabel: string; stageLabel: string; viaLabel: string | null }

export type AccessExplanation = {
  userKey: string
  label: string
  organizationRole: { name: string; state: GrantPeriodState; startsAt: Date | null; endsAt: Date | null } | null
  appRoles: Array<{ appKey: string; appName: string; roleName: string; state: GrantPeriodState; startsAt: Date | null; endsAt: Date | null }>
  /** Member permissions by category, each with every role, scope and stage limit it comes from (AUTHZ-3). */
  categories: Array<{ category: string; permissions: Array<{ slug: string; name: string; purpose: string; sources: ExplainedSource[] }> }>
  /** Application roles per app and stage, each with where it comes from (EUR-1, GRP-2). */
  endUserRoles: Array<{ appKey: string; appName: string; stageCode: string; roleName: string; sources: string[] }>
}

async function explain(tx: Tx, ctx: Ctx, principal: Principal): Promise<AccessExplanation> {
  const catalogue = await catalogueFor(tx, ctx)
  const now = nowOf(ctx)
  const org = principal.grants.find((g) => g.appKey === null)
  const stageLabel = (keys: string[] | null) => (keys === null ? 'All stages' : keys.map((k) => catalogue.stages.get(k)?.code ?? '?').join(', '))
  const categories = new Map<string, AccessExplanation['categories'][number]>()
  for (const { def, sources } of effectivePermissions(principal, catalogue, now)) {
    const entry = categories.get(def.category) ?? { category: def.category, permissions: [] }
    entry.permissions.push({
      slug: def.slug,
      name: def.name,
      purpose: def.purpose,
      sources: sources.map((s) => ({
        ...s,
        scopeLabel: s.appKey === null ? `${s.roleName} · organization` : `${s.roleName} · app ${s.appName ?? ''}`,
        stageLabel: stageLabel(s.stageKeys),
        viaLabel: s.chain.length > 1 ? `included in ${catalogue.permissions.get(s.chain[0])?.name ?? s.chain[0]}` : null,
      })),
    })
    categories.set(def.category, entry)
  }
  const held = mergeHoldings(await loadHoldings(tx, principal.key))
  return {
    userKey: principal.key,
    label: principal.label,
    organizationRole: org ? { name: org.roleName, state: periodState(org, now), startsAt: org.startsAt, endsAt: org.endsAt } : null,
    appRoles: principal.grants
      .filter((g) => g.appKey !== null)
      .map((g) => ({ appKey: g.appKey!, appName: g.appName ?? '', roleName: g.roleName, state: periodState(g, now), startsAt: g.startsAt, endsAt: g.endsAt })),
    categories: [...categories.values()],
    endUserRoles: held.map((h) => ({ appKey: h.appKey, appName: h.appName, stageCode: h.stageCode, roleName: h.roleName, sources: h.sources.map(sourceLabel) })),
  }
}

/** UI-12: what the signed-in member can do, where, and why. Any active member may open it. */
export async function getMyAccess(ctx: Ctx): Promise<AccessExplanation> {
  return withTransaction(ctx, async (tx, ctx) => explain(tx, ctx, await requireSignedIn(tx, ctx)))
}

/** The Effective permissions tab of a user (AUTHZ-7): everything they can do, explained. */
export async function getUserAccess(ctx: Ctx, input: unknown): Promise<AccessExplanation> {
  const { userKey } = parse(userKeySchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const [user] = await tx.select({ key: users.key, name: users.name, email: users.email, isMember: users.isMember, isEndUser: users.isEndUser }).from(users).where(eq(users.key, userKey))
    if (!user) throw new NotFoundError('The user')
    await requireCanSeeUser(tx, ctx, user)
    return explain(tx, ctx, await loadUserPrincipal(tx, { key: user.key, label: user.email ?? user.name }))
  })
}
