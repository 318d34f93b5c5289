import 'server-only'
import { eq, sql } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { organizations, stages, type Organization, type Stage } from '@/db/schema'
import { hasPermission } from '../authz'
import type { Ctx } from '../context'
import { ForbiddenError, NotFoundError, PreconditionFailedError } from '../errors'

/**
 * What a member may do on the settings page (ORG-3, UI-10), each section behind its permission.
 * All are organization-wide: a grant of `config.email` limited to some stages does not cover the
 * one SMTP server every stage uses, so it does not count here.
 */
export type SettingsAccess = {
  /** Rename the organization: Manage organization. */
  renameOrganization: boolean
  /** Rename stages: Manage stages. */
  renameStages: boolean
  /** Stage sessions, self-registration and the password policy: Manage authentication. */
  manageAuthentication: boolean
  /** See the internal user domains: View subscription (Manage subscription includes it). */
  viewInternalDomains: boolean
  /** Change them: Manage subscription. */
  manageInternalDomains: boolean
  /** The SMTP server: Manage Email configurations. */
  manageEmail: boolean
}

export async function settingsAccess(tx: Tx, ctx: Ctx): Promise<SettingsAccess> {
  const may = (slug: string) => hasPermission(tx, ctx, slug)
  return {
    renameOrganization: await may('org.manage'),
    renameStages: await may('portfolio.manage_stages'),
    manageAuthentication: await may('users.manage_authentication'),
    viewInternalDomains: await may('subscription.view'),
    manageInternalDomains: await may('subscription.manage'),
    manageEmail: await may('config.email'),
  }
}

/** Whether the settings page opens at all (and the navigation shows it). */
export const opensSettings = (a: SettingsAccess): boolean => Object.values(a).some(Boolean)

export async function requireSettingsAccess(tx: Tx, ctx: Ctx): Promise<SettingsAccess> {
  const access = await settingsAccess(tx, ctx)
  if (!opensSettings(access)) throw new ForbiddenError('You do not have permission to see the settings.')
  return access
}

/** The organization row, locked for the change. */
export async function lockOrganization(tx: Tx): Promise<Organization> {
  const [org] = await tx.select().from(organizations).limit(1).for('update')
  if (!org) throw new PreconditionFailedError('Gatehouse has not been set up yet.')
  return org
}

/** A stage, locked for the change. */
export async function lockStage(tx: Tx, stageKey: string): Promise<Stage> {
  const [stage] = await tx.select().from(stages).where(eq(stages.key, stageKey)).for('update')
  if (!stage) throw new NotFoundError('The stage')
  return stage
}

/** The sessions of a stage that saving its session settings would end (as revokeStageSessions counts them). */
export async function liveStageSessionCounts(tx: Tx, now: Date): Promise<Map<string, number>> {
  const rows = await tx.execute<{ stage_key: string; n: number }>(sql`
    select stage_key, count(*)::int as n from sessions
    where kind = 'stage' and revoked_at is null and expires_at > ${now.toISOString()}::timestamptz
    group by stage_key`)
  return new Map(rows.rows.map((r) => [r.stage_key, r.n]))
}
