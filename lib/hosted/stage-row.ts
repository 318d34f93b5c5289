import 'server-only'
import { eq } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { stages } from '@/db/schema'
import { env } from '../env'
import { NotFoundError } from '../errors'
import { selectHostedStage, type HostedStage } from './stage'

export type StageRow = HostedStage

/**
 * The stage a hosted use case works on, read on its transaction (findHostedStage uses its own
 * connection, which would wait for this transaction on the embedded database). `lock: 'share'`
 * keeps a settings change from interleaving with a registration.
 */
export async function loadStage(tx: Tx, stageKey: string, opts: { lock?: 'share' } = {}): Promise<StageRow> {
  const query = selectHostedStage(tx, eq(stages.key, stageKey))
  const [row] = opts.lock ? await query.for(opts.lock, { of: stages }) : await query
  if (!row) throw new NotFoundError('The stage')
  return row
}

/** An absolute link to a stage's hosted page, for emails. */
export function stageLink(stage: Pick<StageRow, 'code'>, page: string, query?: Record<string, string>): string {
  const base = env().APP_URL.replace(/\/$/, '')
  const search = query ? `?${new URLSearchParams(query).toString()}` : ''
  return `${base}/s/${encodeURIComponent(stage.code)}/${page}${search}`
}
