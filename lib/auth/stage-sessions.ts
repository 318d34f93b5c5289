import 'server-only'
import { and, eq, gt, isNull } from 'drizzle-orm'
import type { Executor, Tx } from '@/db/client'
import { sessions, stages, users } from '@/db/schema'
import { randomToken, sha256 } from './tokens'
import type { SessionMeta } from './sessions'

export type StageSessionLimits = { key: string; sessionMaxMinutes: number; sessionIdleMinutes: number }

/**
 * Opens an end-user session on a stage's hosted pages (AUTH-4): one per sign-in, serving every app
 * of the stage, ending at the stage's maximum duration or after its idle duration without activity.
 * Returns the token for the cookie; only its hash is stored.
 */
export async function openStageSession(tx: Tx, userKey: string, stage: StageSessionLimits, now: Date, meta: SessionMeta): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken()
  const expiresAt = new Date(now.getTime() + stage.sessionMaxMinutes * 60_000)
  await tx.insert(sessions).values({
    idHash: sha256(token),
    userKey,
    kind: 'stage',
    stageKey: stage.key,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    idleExpiresAt: new Date(now.getTime() + stage.sessionIdleMinutes * 60_000),
    ip: meta.ip ?? null,
    userAgent: meta.userAgent?.slice(0, 512) ?? null,
  })
  return { token, expiresAt }
}

export type LiveStageSession = { idHash: string; userKey: string; name: string; email: string | null; stageKey: string }

/**
 * The stage session behind a cookie if it is live: on this stage, not revoked, within both limits,
 * its user Active. Activity moves the idle deadline forward; the write happens at most every tenth
 * of the idle duration (and at most once a minute), so a busy user costs few writes and the idle
 * limit is never more than a tenth short.
 */
export async function resolveStageSession(db: Executor, token: string, stageKey: string, now: Date): Promise<LiveStageSession | null> {
  const idHash = sha256(token)
  const [row] = await db
    .select({
      idHash: sessions.idHash,
      userKey: sessions.userKey,
      name: users.name,
      email: users.email,
      lastSeenAt: sessions.lastSeenAt,
      idleExpiresAt: sessions.idleExpiresAt,
      idleMinutes: stages.sessionIdleMinutes,
    })
    .from(sessions)
    .innerJoin(users, eq(users.key, sessions.userKey))
    .innerJoin(stages, eq(stages.key, sessions.stageKey))
    .where(and(eq(sessions.idHash, idHash), eq(sessions.kind, 'stage'), eq(sessions.stageKey, stageKey), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), eq(users.status, 'Active')))
  if (!row || !row.idleExpiresAt || row.idleExpiresAt <= now) return null
  const idleMs = row.idleMinutes * 60_000
  if (now.getTime() - row.lastSeenAt.getTime() >= Math.min(60_000, idleMs / 10)) {
    await db.update(sessions).set({ lastSeenAt: now, idleExpiresAt: new Date(now.getTime() + idleMs) }).where(eq(sessions.idHash, idHash))
  }
  return { idHash: row.idHash, userKey: row.userKey, name: row.name, email: row.email, stageKey }
}

/** Ends every live session of a stage, as changing its session settings requires (AUTH-4). */
export async function revokeStageSessions(tx: Tx, stageKey: string, now: Date): Promise<number> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.stageKey, stageKey), eq(sessions.kind, 'stage'), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .returning({ idHash: sessions.idHash })
  return rows.length
}
