import 'server-only'
import type { Tx } from '@/db/client'
import { allowedInSomeStage, catalogueFor, principalFor } from '../authz'
import { check, holdsAnywhere } from '../authz/evaluate'
import { nowOf, withTransaction, type Ctx } from '../context'
import { opensSettings, settingsAccess } from '../settings/access'

export type Navigation = { users: boolean; invite: boolean; roles: boolean; apps: boolean; groups: boolean; apiClients: boolean; audit: boolean; mailbox: boolean; settings: boolean }

async function sections(tx: Tx, ctx: Ctx): Promise<Navigation> {
  const me = await principalFor(tx, ctx)
  const catalogue = await catalogueFor(tx, ctx)
  const holds = (slug: string) => holdsAnywhere(me, catalogue, slug, nowOf(ctx))
  const atOrganization = (slug: string) => allowedInSomeStage(check(me, catalogue, slug, {}, nowOf(ctx)))
  return {
    users: holds('users.manage') || holds('users.view_members') || holds('endusers.view'),
    invite: holds('users.manage_member_access') || holds('endusers.manage_access') || holds('endusers.manage_groups'),
    roles: holds('users.manage_roles') || holds('users.view_members'),
    apps: holds('asset.open'),
    // Groups belong to stages, not apps: an app-scope grant does not open them.
    groups: atOrganization('endusers.view') || atOrganization('endusers.manage_groups'),
    // Managing API clients is organization-only (APIC-1).
    apiClients: atOrganization('users.manage_api_clients'),
    audit: holds('org.view_audit'),
    mailbox: holds('users.manage'),
    // Shown when any settings section opens (lib/settings/access.ts decides, for the page too).
    settings: opensSettings(await settingsAccess(tx, ctx)),
  }
}

/** Which portal sections to show (UI-13). Comfort only: every use case checks again. */
export async function getNavigation(ctx: Ctx): Promise<Navigation> {
  return withTransaction(ctx, sections)
}
