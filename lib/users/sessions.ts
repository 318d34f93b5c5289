import 'server-only'
import { and, eq, isNull } from 'drizzle-orm'
import { z } from 'zod'
import { sessions, userCredentials } from '@/db/schema'
import { audit } from '../audit/record'
import { listLiveSessions, revokeUserSessions } from '../auth/sessions'
import { requirePermission, requireSignedIn } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { NotFoundError, UnauthenticatedError } from '../errors'
import { parse } from '../validation'
import { findUserForUpdate } from './guards'
import { userKeySchema } from './schemas'

export type SessionView = { id: string; current: boolean; createdAt: Date; lastSeenAt: Date; expiresAt: Date; ip: string | null; userAgent: string | null }

function currentSession(ctx: Ctx): string | undefined {
  return ctx.actor?.type === 'user' ? ctx.actor.sessionIdHash : undefined
}

/** The signed-in user's own live sessions; the id shown is a public handle, not the cookie token. */
export async function listMySessions(ctx: Ctx): Promise<SessionView[]> {
  return withTransaction(ctx, async (tx, ctx) => {
    const me = await requireSignedIn(tx, ctx)
    const rows = await listLiveSessions(tx, me.key, nowOf(ctx))
    return rows.map((r) => ({ id: r.idHash, current: r.idHash === currentSession(ctx), createdAt: r.createdAt, lastSeenAt: r.lastSeenAt, expiresAt: r.expiresAt, ip: r.ip, userAgent: r.userAgent }))
  })
}

export async function revokeMySession(ctx: Ctx, input: unknown): Promise<void> {
  const { id } = parse(z.strictObject({ id: z.string().min(10).max(100) }), input)
  await withTransaction(ctx, async (tx, ctx) => {
    const me = await requireSignedIn(tx, ctx)
    const ended = await tx
      .update(sessions)
      .set({ revokedAt: nowOf(ctx) })
      .where(and(eq(sessions.idHash, id), eq(sessions.userKey, me.key), isNull(sessions.revokedAt)))
      .returning({ id: sessions.idHash })
    if (ended.length === 0) throw new NotFoundError('The session')
    await audit(tx, ctx, { action: 'session.revoked', target: { type: 'user', key: me.key, label: me.label }, details: { own: true, current: id === currentSession(ctx) } })
  })
}

export async function revokeMyOtherSessions(ctx: Ctx): Promise<{ sessionsEnded: number }> {
  return withTransaction(ctx, async (tx, ctx) => {
    const me = await requireSignedIn(tx, ctx)
    const keep = currentSession(ctx)
    if (!keep) throw new UnauthenticatedError()
    const sessionsEnded = await revokeUserSessions(tx, me.key, nowOf(ctx), keep)
    await audit(tx, ctx, { action: 'session.revoked_others', target: { type: 'user', key: me.key, label: me.label }, details: { sessionsEnded } })
    return { sessionsEnded }
  })
}

/** An administrator ends every session of a user (UI-4). */
export async function revokeAllUserSessions(ctx: Ctx, input: unknown): Promise<{ sessionsEnded: number }> {
  const { userKey } = parse(userKeySchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage')
    const user = await findUserForUpdate(tx, userKey)
    const sessionsEnded = await revokeUserSessions(tx, userKey, nowOf(ctx))
    await audit(tx, ctx, { action: 'user.sessions_revoked', target: { type: 'user', key: userKey, label: user.email ?? user.name }, details: { sessionsEnded } })
    return { sessionsEnded }
  })
}

/** Clears a lockout (operator CLI and administrators). */
export async function unlockUser(ctx: Ctx, input: unknown): Promise<{ wasLocked: boolean }> {
  const { userKey } = parse(userKeySchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage')
    const user = await findUserForUpdate(tx, userKey)
    const [cred] = await tx.select().from(userCredentials).where(eq(userCredentials.userKey, userKey)).for('update')
    const wasLocked = Boolean(cred && (cred.failedAttempts > 0 || (cred.lockedUntil && cred.lockedUntil > nowOf(ctx))))
    if (cred) await tx.update(userCredentials).set({ failedAttempts: 0, lockedUntil: null }).where(eq(userCredentials.userKey, userKey))
    await audit(tx, ctx, { action: 'user.unlocked', target: { type: 'user', key: userKey, label: user.email ?? user.name }, before: { failedAttempts: cred?.failedAttempts ?? 0 }, after: { failedAttempts: 0 } })
    return { wasLocked }
  })
}
