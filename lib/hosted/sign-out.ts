import 'server-only'
import { and, eq, isNull } from 'drizzle-orm'
import { sessions, stages } from '@/db/schema'
import { audit } from '../audit/record'
import { nowOf, withTransaction, type Ctx } from '../context'

/**
 * Ends the stage session the request came with (HOST-1 "sign out"). Signed out already, or a
 * session that has ended since: nothing to do.
 */
export async function signOutOfStage(ctx: Ctx): Promise<void> {
  const actor = ctx.actor
  if (actor?.type !== 'user' || !actor.sessionIdHash) return
  const idHash = actor.sessionIdHash
  await withTransaction(ctx, async (tx, ctx) => {
    const ended = await tx
      .update(sessions)
      .set({ revokedAt: nowOf(ctx) })
      .where(and(eq(sessions.idHash, idHash), eq(sessions.userKey, actor.userKey), eq(sessions.kind, 'stage'), isNull(sessions.revokedAt)))
      .returning({ stageKey: sessions.stageKey })
    if (ended.length === 0) return
    const [stage] = await tx.select({ code: stages.code }).from(stages).where(eq(stages.key, ended[0].stageKey!))
    await audit(tx, ctx, { action: 'auth.signed_out', target: { type: 'user', key: actor.userKey, label: actor.label }, details: { stage: stage?.code ?? null } })
  })
}
