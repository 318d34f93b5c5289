import { and, asc, count, desc, eq, sql } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'
import { getDb } from '@/db/client'
import { auditEvents, mailOutbox, roleAssignments, rolePermissions, roles, stages, users, type UserStatus } from '@/db/schema'
import { permissionsBySlug } from '@/lib/authz/catalogue'
import { resolvePortalSession } from '@/lib/auth/sessions'
import { signInWithPassword } from '@/lib/auth/sign-in'
import type { Ctx } from '@/lib/context'
import { acceptInvitation } from '@/lib/users/accept-invitation'
import { inviteMember } from '@/lib/users/invite-member'
import { anonymous, asUser, uniqueEmail } from './harness'

export const PASSWORD = 'Sturdy-Lantern-2024'

export async function roleKeyOf(name: string): Promise<string> {
  const db = await getDb()
  const [role] = await db.select({ key: roles.key }).from(roles).where(eq(roles.name, name))
  if (!role) throw new Error(`no role named ${name}`)
  return role.key
}

export async function stageKeyOf(code: string): Promise<string> {
  const db = await getDb()
  const [stage] = await db.select({ key: stages.key }).from(stages).where(eq(stages.code, code))
  return stage.key
}

/** A custom organization role with the given permissions, optionally limited to stage codes. */
export async function createRole(name: string, grants: Array<{ slug: string; stages?: string[] }>): Promise<string> {
  const db = await getDb()
  const [role] = await db.insert(roles).values({ name }).returning({ key: roles.key })
  const stageRows = await db.select({ key: stages.key, code: stages.code }).from(stages)
  const keyOf = new Map(stageRows.map((s) => [s.code, s.key]))
  await db.insert(rolePermissions).values(
    grants.map((g) => ({ roleKey: role.key, permissionKey: permissionsBySlug.get(g.slug)!.key, stageKeys: g.stages ? g.stages.map((c) => keyOf.get(c)!) : null })),
  )
  return role.key
}

/** The token and code of the newest invitation mailed to `email`, read from the outbox. */
export async function invitationMailFor(email: string): Promise<{ token: string; code: string; text: string; html: string }> {
  const db = await getDb()
  const [mail] = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email)).orderBy(desc(mailOutbox.id)).limit(1)
  if (!mail) throw new Error(`no mail to ${email}`)
  const text = mail.textBody ?? ''
  const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(text)?.[1]
  const code = /code: (\d{6})\b/.exec(text)?.[1]
  if (!token || !code) throw new Error(`no invitation in mail to ${email}`)
  return { token, code, text, html: mail.htmlBody ?? '' }
}

export type Member = { userKey: string; email: string; password: string; ctx: () => Ctx }

/** Invites a member with the role and accepts the invitation, as a real member would. */
export async function createMember(admin: Ctx, opts: { role?: string; name?: string; email?: string; password?: string } = {}): Promise<Member> {
  const email = opts.email ?? uniqueEmail(opts.role?.toLowerCase().replace(/\W/g, '') ?? 'member')
  const roleKey = await roleKeyOf(opts.role ?? 'Developer')
  await inviteMember(admin, { email, name: opts.name ?? `Member ${email}`, roleKey })
  const { token, code } = await invitationMailFor(email)
  const password = opts.password ?? PASSWORD
  const { userKey } = await acceptInvitation(anonymous(), { token, code, password })
  return { userKey, email, password, ctx: () => asUser(userKey, email) }
}

/** Signs in through the real use case and returns the request context a signed-in page would get. */
export async function signIn(email: string, password: string, now?: Date): Promise<{ token: string; ctx: () => Ctx }> {
  const meta = { ip: '127.0.0.1', userAgent: 'vitest', ...(now ? { now: () => now } : {}) }
  const { sessionToken } = await signInWithPassword({ actor: null, ...meta }, { email, password })
  const live = await resolvePortalSession(await getDb(), sessionToken, now ?? new Date())
  if (!live) throw new Error('the new session does not resolve')
  return { token: sessionToken, ctx: () => ({ actor: { type: 'user', userKey: live.userKey, label: live.email ?? live.name, sessionIdHash: live.idHash }, ...meta }) }
}

/** Inserts users directly (for lists), returning their keys in insertion order. */
export async function insertUsers(
  rows: Array<{ name: string; email?: string | null; status?: UserStatus; isMember?: boolean; isEndUser?: boolean; lastLoginAt?: Date | null; createdAt?: Date }>,
): Promise<string[]> {
  const db = await getDb()
  const inserted = await db
    .insert(users)
    .values(rows.map((r) => ({ status: 'Active' as const, ...r })))
    .returning({ key: users.key })
  return inserted.map((r) => r.key)
}

export async function auditRows(action: string, targetKey?: string) {
  const db = await getDb()
  return db
    .select()
    .from(auditEvents)
    .where(targetKey ? and(eq(auditEvents.action, action), eq(auditEvents.targetKey, targetKey)) : eq(auditEvents.action, action))
    .orderBy(asc(auditEvents.id))
}

export async function userRow(userKey: string) {
  const db = await getDb()
  const [row] = await db.select().from(users).where(eq(users.key, userKey))
  return row
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

/** Users holding `role` at organization scope (or for `appKey`), with an optional grant period, without inviting each one. */
export async function grantHolders(role: string, n: number, opts: { appKey?: string; startsAt?: Date; endsAt?: Date; prefix?: string } = {}): Promise<string[]> {
  const db = await getDb()
  const roleKey = await roleKeyOf(role)
  const prefix = opts.prefix ?? `${role} holder`
  const keys = await insertUsers(Array.from({ length: n }, (_, i) => ({ name: `${prefix} ${String(i).padStart(3, '0')}`, isMember: true })))
  await db.insert(roleAssignments).values(keys.map((userKey) => ({ userKey, roleKey, appKey: opts.appKey ?? null, startsAt: opts.startsAt ?? null, endsAt: opts.endsAt ?? null })))
  return keys
}

/** Gives an existing user `role` (at organization scope, or for `appKey`) and makes them a member. */
export async function grantRoleTo(userKey: string, role: string, appKey: string | null = null): Promise<void> {
  const db = await getDb()
  await db.insert(roleAssignments).values({ userKey, roleKey: await roleKeyOf(role), appKey })
  await db.update(users).set({ isMember: true }).where(eq(users.key, userKey))
}

/** Row counts of the named tables: what a refused or invalid call must leave unchanged. */
export async function rowCounts<K extends string>(tables: Record<K, PgTable>): Promise<Record<K, number>> {
  const db = await getDb()
  const counts = {} as Record<K, number>
  for (const [name, table] of Object.entries(tables) as Array<[K, PgTable]>) counts[name] = (await db.select({ n: count() }).from(table))[0].n
  return counts
}
