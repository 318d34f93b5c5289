import 'server-only'
import { sql } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { apps } from '@/db/schema'
import { catalogueFor, checkPermission, principalFor } from '../authz'
import { check } from '../authz/evaluate'
import { nowOf, type Ctx } from '../context'
import { ForbiddenError, NotFoundError } from '../errors'

/**
 * Which apps the actor may open: `null` for every app (asset.open at organization scope), or the
 * keys of the apps an app-scope role lets them open. Refuses a member who can open none.
 */
export async function openableApps(tx: Tx, ctx: Ctx): Promise<string[] | null> {
  const everywhere = await checkPermission(tx, ctx, 'asset.open')
  if (everywhere === 'system' || everywhere.allowed) return null
  const principal = await principalFor(tx, ctx)
  const catalogue = await catalogueFor(tx, ctx)
  const now = nowOf(ctx)
  const keys = [...new Set(principal.grants.map((g) => g.appKey).filter((k): k is string => k !== null))]
  const visible = keys.filter((appKey) => check(principal, catalogue, 'asset.open', { appKey }, now).allowed)
  if (visible.length === 0) throw new ForbiddenError('You do not have permission to see apps.', everywhere.reason)
  return visible
}

export async function findApp(tx: Tx, appKey: string) {
  const [app] = await tx.select().from(apps).where(sql`${apps.key} = ${appKey}`)
  if (!app) throw new NotFoundError('The app')
  return app
}

/** The app row, locked for the rest of the transaction: edits of one app (and its roles) queue up. */
export async function lockApp(tx: Tx, appKey: string) {
  const [app] = await tx.select().from(apps).where(sql`${apps.key} = ${appKey}`).for('update')
  if (!app) throw new NotFoundError('The app')
  return app
}

export const staleMessage = (what: string) => `This ${what} was changed by someone else since you opened it. Reload the page to see their changes, then try again.`
