import 'server-only'
import { eq } from 'drizzle-orm'
import { stages } from '@/db/schema'
import { revokeStageSessions } from '../auth/stage-sessions'
import { audit, diff } from '../audit/record'
import { requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { NotFoundError } from '../errors'
import { parse } from '../validation'
import { liveStageSessionCounts, lockStage } from './access'
import { updateStageSessionsSchema } from './schemas'

export type StageSessionsPreview = { stageCode: string; changed: boolean; liveSessions: number }

/** What saving these session settings would do: whether anything changes, and how many sessions it ends. */
export async function previewStageSessions(ctx: Ctx, input: unknown): Promise<StageSessionsPreview> {
  const p = parse(updateStageSessionsSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_authentication')
    const [stage] = await tx.select().from(stages).where(eq(stages.key, p.stageKey))
    if (!stage) throw new NotFoundError('The stage')
    const changed = stage.sessionMaxMinutes !== p.maxMinutes || stage.sessionIdleMinutes !== p.idleMinutes
    return { stageCode: stage.code, changed, liveSessions: changed ? ((await liveStageSessionCounts(tx, nowOf(ctx))).get(stage.key) ?? 0) : 0 }
  })
}

/**
 * Sets how long end-user sessions of a stage last (AUTH-4, SESS-1): at most `maxMinutes` after
 * sign-in, and `idleMinutes` without activity. Saving ends every session of the stage, in the same
 * transaction, so nobody keeps a session under the old limits; other stages are untouched.
 */
export async function updateStageSessions(ctx: Ctx, input: unknown): Promise<{ changed: boolean; sessionsEnded: number }> {
  const p = parse(updateStageSessionsSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_authentication')
    const stage = await lockStage(tx, p.stageKey)
    if (stage.sessionMaxMinutes === p.maxMinutes && stage.sessionIdleMinutes === p.idleMinutes) return { changed: false, sessionsEnded: 0 }
    const now = nowOf(ctx)
    await tx.update(stages).set({ sessionMaxMinutes: p.maxMinutes, sessionIdleMinutes: p.idleMinutes, updatedAt: now }).where(eq(stages.key, stage.key))
    const sessionsEnded = await revokeStageSessions(tx, stage.key, now)
    await audit(tx, ctx, {
      action: 'stage.sessions_changed',
      target: { type: 'stage', key: stage.key, label: `${stage.name} (${stage.code})` },
      ...diff({ sessionMaxMinutes: stage.sessionMaxMinutes, sessionIdleMinutes: stage.sessionIdleMinutes }, { sessionMaxMinutes: p.maxMinutes, sessionIdleMinutes: p.idleMinutes }),
      details: { sessionsEnded },
    })
    return { changed: true, sessionsEnded }
  })
}
