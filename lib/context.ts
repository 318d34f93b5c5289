import 'server-only'
import { getDb, type Tx } from '@/db/client'
import type { Principal } from './authz/model'
import { now } from './clock'

export type Actor =
  | { type: 'user'; userKey: string; label: string; sessionIdHash?: string }
  | { type: 'api_client'; clientKey: string; label: string }
  | { type: 'system'; label: string }

/**
 * What every use case receives: who is acting, from where, and (inside a transaction) the
 * transaction handle. `now` is injectable so tests can move the clock.
 */
export type Ctx = {
  actor: Actor | null
  ip?: string | null
  userAgent?: string | null
  now?: () => Date
  tx?: Tx
  /** Loaded once per request by lib/authz (AUTHZ: load once, evaluate many). */
  principal?: Principal
}

export const systemCtx = (label = 'Gatehouse', extra: Partial<Ctx> = {}): Ctx => ({ actor: { type: 'system', label }, ...extra })

export const nowOf = (ctx: Ctx): Date => (ctx.now ? ctx.now() : now())

/**
 * Runs `fn` in one database transaction; a nested call reuses the outer one. Every query of a use
 * case must go through `tx`: on the embedded database a query on another connection would wait
 * for this transaction to end.
 */
export async function withTransaction<T>(ctx: Ctx, fn: (tx: Tx, ctx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.tx) return fn(ctx.tx, ctx)
  const db = await getDb()
  return db.transaction(async (tx) => {
    const inner: Ctx = { ...ctx, tx }
    try {
      return await fn(tx, inner)
    } finally {
      // The principal was loaded inside this transaction; the request may keep it.
      if (inner.principal) ctx.principal = inner.principal
    }
  })
}
