import 'server-only'
import { catalogueFor, requireSignedIn } from '../authz'
import { effectivePermissions, periodState, type GrantPeriodState, type Source } from '../authz/evaluate'
import { nowOf, withTransaction, type Ctx } from '../context'

export type ExplainedSource = Source & { scopeLabel: string; stageLabel: string; viaLabel: string | null }

export type MyAccess = {
  userKey: string
  label: string
  organizationRole: { name: string; state: GrantPeriodState; startsAt: Date | null; endsAt: Date | null } | null
  appRoles: Array<{ appName: string; roleName: string; state: GrantPeriodState }>
  categories: Array<{ category: string; permissions: Array<{ slug: string; name: string; purpose: string; sources: ExplainedSource[] }> }>
}

/** UI-12: what the signed-in member can do, where, and why. Any active member may open it. */
export async function getMyAccess(ctx: Ctx): Promise<MyAccess> {
  return withTransaction(ctx, async (tx, ctx) => {
    const me = await requireSignedIn(tx, ctx)
    const catalogue = await catalogueFor(tx, ctx)
    const now = nowOf(ctx)
    const org = me.grants.find((g) => g.appKey === null)
    const stageLabel = (keys: string[] | null) => (keys === null ? 'All stages' : keys.map((k) => catalogue.stages.get(k)?.code ?? '?').join(', '))
    const categories = new Map<string, MyAccess['categories'][number]>()
    for (const { def, sources } of effectivePermissions(me, catalogue, now)) {
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
    return {
      userKey: me.key,
      label: me.label,
      organizationRole: org ? { name: org.roleName, state: periodState(org, now), startsAt: org.startsAt, endsAt: org.endsAt } : null,
      appRoles: me.grants.filter((g) => g.appKey !== null).map((g) => ({ appName: g.appName ?? '', roleName: g.roleName, state: periodState(g, now) })),
      categories: [...categories.values()],
    }
  })
}
