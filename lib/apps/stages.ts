import 'server-only'
import { and, asc, ne, sql } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { apps, stages } from '@/db/schema'
import { ConflictError, ValidationError } from '../errors'

export type StageOption = { key: string; code: string; name: string }

export async function allStages(tx: Tx): Promise<StageOption[]> {
  return tx.select({ key: stages.key, code: stages.code, name: stages.name }).from(stages).orderBy(asc(stages.position))
}

/** The chosen stages, in stage order; refuses keys that name no stage (stale form). */
export async function chosenStages(tx: Tx, stageKeys: string[]): Promise<StageOption[]> {
  const all = await allStages(tx)
  const chosen = all.filter((s) => stageKeys.includes(s.key))
  if (chosen.length !== stageKeys.length) throw new ValidationError('Some fields need attention.', { stageKeys: ['A chosen stage no longer exists. Reload the page and choose again.'] })
  return chosen
}

/**
 * Refuses a name another app already has, ignoring case. Nothing in ODC requires unique app names,
 * but two apps called “Sales” make every role picker and audit line ambiguous, so Gatehouse
 * refuses them. There is no unique index (the schema keeps ODC's model), so a transaction-scoped
 * advisory lock on the lower-cased name serializes two creations of the same name.
 */
export async function refuseDuplicateAppName(tx: Tx, name: string, exceptKey?: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`gatehouse:app-name:${name.toLowerCase()}`}))`)
  const [taken] = await tx
    .select({ key: apps.key, name: apps.name })
    .from(apps)
    .where(and(sql`lower(${apps.name}) = ${name.toLowerCase()}`, exceptKey ? ne(apps.key, exceptKey) : undefined))
    .limit(1)
  if (taken) throw new ConflictError('Another app has this name.', { name: [`An app named “${taken.name}” already exists. Choose another name.`] })
}

export const stageCodes = (list: StageOption[]) => list.map((s) => s.code)
