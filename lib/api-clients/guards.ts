import 'server-only'
import type { Tx } from '@/db/client'
import { catalogueFor, hasPermission } from '../authz'
import type { GrantedPermission } from '../authz/model'
import type { Ctx } from '../context'
import { ConflictError, ForbiddenError } from '../errors'
import { stageCodes } from '../roles/coverage'

// Guards for an API client that manages API clients through the REST API. Manage API clients lets
// its holder hand out any permission (ODC accepts that risk for members, APIC-1); a script holding
// it must not turn into more than it is, so a client acting for itself may only give out, or take
// over through a new secret, what it holds itself, and may not lock itself out. Members in the
// portal are not limited by these guards.

/**
 * Refuses (403) when the acting API client does not hold every one of `grants` in every stage they
 * cover (a grant for every stage needs the caller's grant for every stage). `what` completes
 * "An API client cannot … permissions it does not hold itself".
 */
export async function refuseGrantsBeyondCaller(tx: Tx, ctx: Ctx, grants: readonly GrantedPermission[], what: string): Promise<void> {
  if (ctx.actor?.type !== 'api_client') return
  const catalogue = await catalogueFor(tx, ctx)
  const missing: string[] = []
  for (const grant of grants) {
    const lacking: string[] = []
    for (const stageKey of grant.stageKeys ?? [null]) if (!(await hasPermission(tx, ctx, grant.slug, stageKey ? { stageKey } : {}))) lacking.push(stageKey ?? '')
    if (!lacking.length) continue
    const stages = grant.stageKeys === null ? null : stageCodes(lacking, catalogue)
    missing.push(stages ? `${grant.slug}@${stages.join(',')}` : grant.slug)
  }
  if (missing.length) throw new ForbiddenError(`An API client cannot ${what} permissions it does not hold itself: ${missing.join(', ')}.`)
}

/** An API client may not suspend or delete itself (409): it could not undo it. */
export function refuseSelf(ctx: Ctx, clientKey: string, what: 'suspend' | 'delete'): void {
  if (ctx.actor?.type === 'api_client' && ctx.actor.clientKey === clientKey)
    throw new ConflictError(`An API client cannot ${what} itself; ask an administrator or use another client.`)
}

/**
 * What `next` grants beyond `current`, explicit grant by grant: a permission newly chosen, or
 * stages added to one already held. Taking permissions away needs nothing the caller lacks.
 */
export function grantsAdded(current: readonly GrantedPermission[], next: readonly GrantedPermission[]): GrantedPermission[] {
  const held = new Map(current.map((g) => [g.slug, g.stageKeys]))
  const added: GrantedPermission[] = []
  for (const g of next) {
    const had = held.get(g.slug)
    if (had === undefined || g.stageKeys === null) {
      if (had !== null) added.push(g)
      continue
    }
    if (had === null) continue
    const extra = g.stageKeys.filter((s) => !had.includes(s))
    if (extra.length) added.push({ slug: g.slug, stageKeys: extra })
  }
  return added
}
