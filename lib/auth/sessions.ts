import 'server-only'
import { and, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm'
import type { Executor, Tx } from '@/db/client'
import { sessions, users } from '@/db/schema'
import { randomToken, sha256 } from './tokens'

export const MEMBER_SESSION_HOURS = 12
const TOUCH_EVERY_MS = 60_000

export type SessionMeta = { ip?: string | null; userAgent?: string | null }

/** Opens a portal session and returns the token for the cookie; only its hash is stored. */
export async function openPortalSession(tx: Tx, userKey: string, now: Date, meta: SessionMeta): Promise<string> {
  const token = randomToken()
  await tx.insert(sessions).values({
    idHash: sha256(token),
    userKey,
    kind: 'portal',
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + MEMBER_SESSION_HOURS * 3_600_000),
    ip: meta.ip ?? null,
    userAgent: meta.userAgent?.slice(0, 512) ?? null,
  })
  return token
}

export type LiveSession = { idHash: string; userKey: string; name: string; email: string | null }

/**
 * The session behind a cookie, if it is still live: not revoked, not past its 12 hours, and its
 * user still Active (AUTH-4). Called on every request; one indexed lookup.
 */
export async function resolvePortalSession(db: Executor, token: string, now: Date): Promise<LiveSession | null> {
  const idHash = sha256(token)
  const [row] = await db
    .select({ idHash: sessions.idHash, userKey: sessions.userKey, name: users.name, email: users.email, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.key, sessions.userKey))
    .where(and(eq(sessions.idHash, idHash), eq(sessions.kind, 'portal'), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), eq(users.status, 'Active')))
  if (!row) return null
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, idHash))
  }
  return { idHash: row.idHash, userKey: row.userKey, name: row.name, email: row.email }
}

export async function revokeSessionByToken(db: Executor, token: string, now: Date): Promise<void> {
  await db.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.idHash, sha256(token)), isNull(sessions.revokedAt)))
}

/** Ends every live session of a user (optionally keeping one); returns how many ended. */
export async function revokeUserSessions(tx: Tx, userKey: string, now: Date, keepIdHash?: string): Promise<number> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userKey, userKey), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), keepIdHash ? ne(sessions.idHash, keepIdHash) : sql`true`))
    .returning({ idHash: sessions.idHash })
  return rows.length
}

export async function listLiveSessions(tx: Tx, userKey: string, now: Date) {
  return tx
    .select({
      idHash: sessions.idHash,
      kind: sessions.kind,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      ip: sessions.ip,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(and(eq(sessions.userKey, userKey), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.createdAt))
    .limit(100)
}
