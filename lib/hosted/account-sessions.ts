import 'server-only'
import { createHmac } from 'node:crypto'
import { and, desc, eq, gt, isNull, ne } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { sessions, stages, users } from '@/db/schema'
import { audit } from '../audit/record'
import { nowOf, withTransaction, type Ctx } from '../context'
import { env } from '../env'
import { NotFoundError, UnauthenticatedError } from '../errors'
import { parse } from '../validation'
import { stageKeyInputSchema, stageSessionInputSchema } from './account-schemas'

/**
 * The id a page shows for a session: a keyed hash of the row's key, so neither the cookie token nor
 * the stored hash ever reaches a page, and ids cannot be forged or compared across installations.
 */
export const sessionHandle = (idHash: string): string => createHmac('sha256', env().AUTH_SECRET).update(`session-handle:${idHash}`).digest('base64url').slice(0, 22)

export type StageActor = { userKey: string; label: string; sessionIdHash: string; stage: { key: string; code: string; name: string } }

/**
 * The end-user acting on a stage's hosted pages: signed in to THIS stage through a live stage
 * session, and still Active. A portal session or another stage's session does not count.
 */
export async function requireStageActor(tx: Tx, ctx: Ctx, stageKey: string): Promise<StageActor> {
  const actor = ctx.actor
  if (actor?.type !== 'user' || !actor.sessionIdHash) throw new UnauthenticatedError()
  const now = nowOf(ctx)
  const [row] = await tx
    .select({ status: users.status, idleExpiresAt: sessions.idleExpiresAt, stageCode: stages.code, stageName: stages.name })
    .from(sessions)
    .innerJoin(users, eq(users.key, sessions.userKey))
    .innerJoin(stages, eq(stages.key, sessions.stageKey))
    .where(and(eq(sessions.idHash, actor.sessionIdHash), eq(sessions.userKey, actor.userKey), eq(sessions.kind, 'stage'), eq(sessions.stageKey, stageKey), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
  if (!row || row.status !== 'Active' || !row.idleExpiresAt || row.idleExpiresAt <= now) throw new UnauthenticatedError()
  return { userKey: actor.userKey, label: actor.label, sessionIdHash: actor.sessionIdHash, stage: { key: stageKey, code: row.stageCode, name: row.stageName } }
}

export type StageSessionView = { id: string; current: boolean; createdAt: Date; lastSeenAt: Date; expiresAt: Date; idleExpiresAt: Date | null; ip: string | null; userAgent: string | null }

const liveInStage = (userKey: string, stageKey: string, now: Date) =>
  and(eq(sessions.userKey, userKey), eq(sessions.kind, 'stage'), eq(sessions.stageKey, stageKey), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), gt(sessions.idleExpiresAt, now))

/** The user's live sessions in one stage, newest first, the current one marked. */
export async function listStageSessions(tx: Tx, me: StageActor, now: Date): Promise<StageSessionView[]> {
  const rows = await tx
    .select({ idHash: sessions.idHash, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, expiresAt: sessions.expiresAt, idleExpiresAt: sessions.idleExpiresAt, ip: sessions.ip, userAgent: sessions.userAgent })
    .from(sessions)
    .where(liveInStage(me.userKey, me.stage.key, now))
    .orderBy(desc(sessions.createdAt))
    .limit(100)
  return rows.map(({ idHash, ...r }) => ({ id: sessionHandle(idHash), current: idHash === me.sessionIdHash, ...r }))
}

/** Ends one of the actor's own live sessions in this stage; `current` says it was the one in use (signing out). */
export async function revokeOwnStageSession(ctx: Ctx, input: unknown): Promise<{ current: boolean }> {
  const { stageKey, sessionId } = parse(stageSessionInputSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const now = nowOf(ctx)
    const me = await requireStageActor(tx, ctx, stageKey)
    // Only the actor's own sessions in this stage are candidates: an id of anyone else's session,
    // or of a session elsewhere, matches nothing.
    const mine = await tx.select({ idHash: sessions.idHash }).from(sessions).where(liveInStage(me.userKey, stageKey, now)).limit(100)
    const target = mine.find((s) => sessionHandle(s.idHash) === sessionId)
    if (!target) throw new NotFoundError('The session')
    await tx.update(sessions).set({ revokedAt: now }).where(eq(sessions.idHash, target.idHash))
    const current = target.idHash === me.sessionIdHash
    await audit(tx, ctx, { action: 'session.revoked', target: { type: 'user', key: me.userKey, label: me.label }, details: { own: true, current, stage: me.stage.code } })
    return { current }
  })
}

/** Ends every other session of the actor in this stage; the one in use stays. */
export async function revokeOtherStageSessions(ctx: Ctx, input: unknown): Promise<{ sessionsEnded: number }> {
  const { stageKey } = parse(stageKeyInputSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const now = nowOf(ctx)
    const me = await requireStageActor(tx, ctx, stageKey)
    const ended = await tx
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(liveInStage(me.userKey, stageKey, now), ne(sessions.idHash, me.sessionIdHash)))
      .returning({ idHash: sessions.idHash })
    await audit(tx, ctx, { action: 'session.revoked_others', target: { type: 'user', key: me.userKey, label: me.label }, details: { stage: me.stage.code, sessionsEnded: ended.length } })
    return { sessionsEnded: ended.length }
  })
}
