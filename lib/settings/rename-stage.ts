import 'server-only'
import { and, eq, ne, sql } from 'drizzle-orm'
import { stages } from '@/db/schema'
import { audit } from '../audit/record'
import { requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { ConflictError } from '../errors'
import { parse } from '../validation'
import { lockStage } from './access'
import { renameStageSchema } from './schemas'

/**
 * Renames a stage (STG-1); its code, and so its hosted pages' URLs, stay. Names are unique ignoring
 * case: two stages called "QA" would make every stage picker ambiguous. There is no unique index,
 * so a transaction-scoped advisory lock serializes renames.
 */
export async function renameStage(ctx: Ctx, input: unknown): Promise<{ name: string }> {
  const { stageKey, name } = parse(renameStageSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'portfolio.manage_stages')
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('gatehouse:stage-names'))`)
    const stage = await lockStage(tx, stageKey)
    if (stage.name === name) return { name }
    const [taken] = await tx
      .select({ code: stages.code, name: stages.name })
      .from(stages)
      .where(and(sql`lower(${stages.name}) = ${name.toLowerCase()}`, ne(stages.key, stageKey)))
      .limit(1)
    if (taken) throw new ConflictError('Another stage has this name.', { name: [`The stage ${taken.code} is already called “${taken.name}”. Choose another name.`] })
    await tx.update(stages).set({ name, updatedAt: nowOf(ctx) }).where(eq(stages.key, stageKey))
    await audit(tx, ctx, { action: 'stage.renamed', target: { type: 'stage', key: stageKey, label: `${name} (${stage.code})` }, before: { name: stage.name }, after: { name } })
    return { name }
  })
}
