import 'server-only'
import { eq } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { apiClients, users } from '@/db/schema'
import { nowOf, type Ctx } from '../context'
import { ForbiddenError, UnauthenticatedError } from '../errors'
import { check, type Decision } from './evaluate'
import { loadApiClientPrincipal, loadCatalogue, loadUserPrincipal } from './load'
import type { Catalogue, CheckTarget, Principal } from './model'

export type { Decision } from './evaluate'

const catalogues = new WeakMap<Ctx, Catalogue>()

export async function catalogueFor(tx: Tx, ctx: Ctx): Promise<Catalogue> {
  let c = catalogues.get(ctx)
  if (!c) {
    c = await loadCatalogue(tx)
    catalogues.set(ctx, c)
  }
  return c
}

/**
 * The acting user's grants, read from the database inside the use case's transaction and kept on
 * the request context (loaded once per request). A user who is no longer Active has no authority,
 * whatever their session says (AUTHZ-5).
 */
export async function principalFor(tx: Tx, ctx: Ctx): Promise<Principal> {
  if (ctx.principal) return ctx.principal
  const actor = ctx.actor
  if (!actor) throw new UnauthenticatedError()
  if (actor.type === 'api_client') {
    // The client's current state, on every call (APIC-4): a suspended or deleted client has no authority.
    const [client] = await tx.select({ key: apiClients.key, name: apiClients.name, suspendedAt: apiClients.suspendedAt }).from(apiClients).where(eq(apiClients.key, actor.clientKey))
    if (!client || client.suspendedAt) throw new UnauthenticatedError('This API client is suspended or no longer exists.')
    ctx.principal = await loadApiClientPrincipal(tx, { key: client.key, label: client.name })
    return ctx.principal
  }
  if (actor.type !== 'user') throw new ForbiddenError('Only a signed-in member can do this.')
  const [user] = await tx.select({ key: users.key, status: users.status, email: users.email }).from(users).where(eq(users.key, actor.userKey))
  if (!user || user.status !== 'Active') throw new UnauthenticatedError('Your account is no longer active.')
  ctx.principal = await loadUserPrincipal(tx, { key: user.key, label: actor.label })
  return ctx.principal
}

export async function checkPermission(tx: Tx, ctx: Ctx, slug: string, target: CheckTarget = {}): Promise<Decision | 'system'> {
  if (ctx.actor?.type === 'system') return 'system'
  const principal = await principalFor(tx, ctx)
  return check(principal, await catalogueFor(tx, ctx), slug, target, nowOf(ctx))
}

/** Whether the actor holds the permission (a system actor holds every one). */
export async function hasPermission(tx: Tx, ctx: Ctx, slug: string, target: CheckTarget = {}): Promise<boolean> {
  const decision = await checkPermission(tx, ctx, slug, target)
  return decision === 'system' || decision.allowed
}

/**
 * Allowed without naming a stage, or in at least one stage: for questions like "may this member
 * see end-users at all?" before a stage is known. Stage-level answers still need a stage.
 */
export function allowedInSomeStage(decision: Decision | 'system'): boolean {
  return decision === 'system' || decision.allowed || decision.nearMisses.some((m) => m.why === 'no-stage')
}

/**
 * Held anywhere: in some stage, or for some app through an app-scope role. For "may this member
 * use this screen at all?"; what they see on it is still checked per app and stage.
 */
export function heldSomewhere(decision: Decision | 'system'): boolean {
  return allowedInSomeStage(decision) || (decision !== 'system' && decision.nearMisses.some((m) => m.why === 'other-app'))
}

/** Throws ForbiddenError (with the evaluator's reason) unless the actor holds the permission. */
export async function requirePermission(tx: Tx, ctx: Ctx, slug: string, target: CheckTarget = {}): Promise<void> {
  const decision = await checkPermission(tx, ctx, slug, target)
  if (decision === 'system' || decision.allowed) return
  throw new ForbiddenError(`You do not have permission to do this (${slug}).`, decision.reason)
}

/** For use cases any signed-in, active member may run on their own behalf (their own profile, sessions). */
export async function requireSignedIn(tx: Tx, ctx: Ctx): Promise<Principal> {
  return principalFor(tx, ctx)
}
