import { eq, inArray } from 'drizzle-orm'
import { getDb } from '@/db/client'
import { appRoleInstances, appRoles, appStages, apps, auditEvents, endUserRoleAssignments, groupMembers, groupRoles, groups, roleAssignments, stages } from '@/db/schema'
import { refreshEndUserFlag } from '@/lib/access/end-user-flag'
import type { Ctx } from '@/lib/context'
import { createMember, createRole, rowCounts, type Member } from './factories'

// Rows for tests that need apps, application roles and groups without going through their use
// cases (those have their own tests). Stages are named by code.

async function stageKeys(codes?: string[]): Promise<Map<string, string>> {
  const db = await getDb()
  const rows = await db.select({ key: stages.key, code: stages.code }).from(stages)
  const all = new Map(rows.map((s) => [s.code, s.key]))
  if (!codes) return all
  return new Map(codes.map((c) => [c, all.get(c)!]))
}

/** An app deployed to the given stages (default: every stage). */
export async function createApp(name: string, stageCodes?: string[]): Promise<{ key: string; stages: Map<string, string> }> {
  const db = await getDb()
  const [app] = await db.insert(apps).values({ name }).returning({ key: apps.key })
  const deployed = await stageKeys(stageCodes)
  await db.insert(appStages).values([...deployed.values()].map((stageKey) => ({ appKey: app.key, stageKey })))
  return { key: app.key, stages: deployed }
}

/** An application role with one instance per stage the app is deployed to; instance keys by stage code. */
export async function createAppRole(appKey: string, name: string, opts: { isPublic?: boolean } = {}) {
  const db = await getDb()
  const [role] = await db.insert(appRoles).values({ appKey, name, claimName: name, isPublic: opts.isPublic ?? false }).returning({ key: appRoles.key })
  const deployed = await db.select({ stageKey: appStages.stageKey, code: stages.code }).from(appStages).innerJoin(stages, eq(stages.key, appStages.stageKey)).where(eq(appStages.appKey, appKey))
  const rows = await db
    .insert(appRoleInstances)
    .values(deployed.map((d) => ({ appRoleKey: role.key, appKey, stageKey: d.stageKey })))
    .returning({ key: appRoleInstances.key, stageKey: appRoleInstances.stageKey })
  const codeOf = new Map(deployed.map((d) => [d.stageKey, d.code]))
  return { key: role.key, instances: new Map(rows.map((r) => [codeOf.get(r.stageKey)!, r.key])) }
}

export async function createGroup(name: string, stageCode: string, opts: { instanceKeys?: string[]; userKeys?: string[] } = {}): Promise<string> {
  const db = await getDb()
  const [group] = await db.insert(groups).values({ name, stageKey: (await stageKeys([stageCode])).get(stageCode)! }).returning({ key: groups.key })
  if (opts.instanceKeys?.length) await db.insert(groupRoles).values(opts.instanceKeys.map((instanceKey) => ({ groupKey: group.key, instanceKey })))
  if (opts.userKeys?.length) await db.insert(groupMembers).values(opts.userKeys.map((userKey) => ({ groupKey: group.key, userKey })))
  if (opts.userKeys?.length) await refreshEndUserFlag(db, opts.userKeys)
  return group.key
}

export async function grantAppRole(userKey: string, instanceKeys: string[]): Promise<void> {
  const db = await getDb()
  await db.insert(endUserRoleAssignments).values(instanceKeys.map((instanceKey) => ({ userKey, instanceKey })))
  await refreshEndUserFlag(db, [userKey])
}

export async function instancesOf(appRoleKey: string): Promise<string[]> {
  const db = await getDb()
  const rows = await db.select({ key: appRoleInstances.key }).from(appRoleInstances).where(inArray(appRoleInstances.appRoleKey, [appRoleKey]))
  return rows.map((r) => r.key)
}

export async function appRow(key: string) {
  const db = await getDb()
  const [row] = await db.select().from(apps).where(eq(apps.key, key))
  return row
}

/**
 * A member whose organization-scope role grants nothing about apps, plus an organization role for
 * one app (app scope) with the given permissions.
 */
export async function appScopedMember(admin: Ctx, appKey: string, slugs: string[]): Promise<Member> {
  const suffix = Math.random().toString(36).slice(2, 8)
  await createRole(`Viewer ${suffix}`, [{ slug: 'users.view_members' }])
  const member = await createMember(admin, { role: `Viewer ${suffix}` })
  const roleKey = await createRole(`App role ${suffix}`, slugs.map((slug) => ({ slug })))
  const db = await getDb()
  await db.insert(roleAssignments).values({ userKey: member.userKey, roleKey, appKey })
  return member
}

/** A member who may manage end-user groups in QA only (a stage-limited organization role). */
export async function qaGroupManager(admin: Ctx): Promise<Member> {
  await createRole('QA group manager', [{ slug: 'endusers.manage_groups', stages: ['QA'] }])
  return createMember(admin, { role: 'QA group manager' })
}

/** Row counts of the access model that a refused or invalid call must leave unchanged. */
export const accessSnapshot = () =>
  rowCounts({
    apps,
    appStages,
    roles: appRoles,
    instances: appRoleInstances,
    assignments: endUserRoleAssignments,
    groupRoles,
    memberGrants: roleAssignments,
    audit: auditEvents,
  })
