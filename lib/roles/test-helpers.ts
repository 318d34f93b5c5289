import 'server-only'
import { eq, sql } from 'drizzle-orm'
import { getDb } from '@/db/client'
import { roleAssignments, rolePermissions, roles, users } from '@/db/schema'
import { insertUsers, roleKeyOf } from '@/test/factories'

// Test-only: rows for role tests that need many holders without inviting each one.

/** Users holding `role` at organization scope (or for `appKey`), with an optional grant period. */
export async function grantHolders(role: string, n: number, opts: { appKey?: string; startsAt?: Date; endsAt?: Date; prefix?: string } = {}): Promise<string[]> {
  const db = await getDb()
  const roleKey = await roleKeyOf(role)
  const prefix = opts.prefix ?? `${role} holder`
  const keys = await insertUsers(Array.from({ length: n }, (_, i) => ({ name: `${prefix} ${String(i).padStart(3, '0')}`, isMember: true })))
  await db.insert(roleAssignments).values(keys.map((userKey) => ({ userKey, roleKey, appKey: opts.appKey ?? null, startsAt: opts.startsAt ?? null, endsAt: opts.endsAt ?? null })))
  return keys
}

export async function grantRoleTo(userKey: string, role: string, appKey: string | null = null): Promise<void> {
  const db = await getDb()
  await db.insert(roleAssignments).values({ userKey, roleKey: await roleKeyOf(role), appKey })
  await db.update(users).set({ isMember: true }).where(eq(users.key, userKey))
}

export async function roleRow(roleKey: string) {
  const db = await getDb()
  const [row] = await db.select().from(roles).where(eq(roles.key, roleKey))
  return row
}

export async function storedPermissionCount(roleKey: string): Promise<number> {
  const db = await getDb()
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(rolePermissions).where(eq(rolePermissions.roleKey, roleKey))
  return row.n
}
