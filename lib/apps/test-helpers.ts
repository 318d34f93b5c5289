import { count, eq } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'
import { getDb } from '@/db/client'
import { appRoleInstances, appRoles, appStages, apps, auditEvents, endUserRoleAssignments, groupRoles, roleAssignments } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { createMember, createRole, type Member } from '@/test/factories'

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

/** Row counts that a refused or invalid call must leave unchanged. */
export async function accessSnapshot() {
  const db = await getDb()
  const n = async (table: PgTable) => (await db.select({ n: count() }).from(table))[0].n
  return {
    apps: await n(apps),
    appStages: await n(appStages),
    roles: await n(appRoles),
    instances: await n(appRoleInstances),
    assignments: await n(endUserRoleAssignments),
    groupRoles: await n(groupRoles),
    memberGrants: await n(roleAssignments),
    audit: await n(auditEvents),
  }
}

export async function appRow(key: string) {
  const db = await getDb()
  const [row] = await db.select().from(apps).where(eq(apps.key, key))
  return row
}
