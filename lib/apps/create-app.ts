import 'server-only'
import { appStages, apps } from '@/db/schema'
import { audit } from '../audit/record'
import { requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { parse } from '../validation'
import { createAppSchema } from './schemas'
import { chosenStages, refuseDuplicateAppName, stageCodes } from './stages'

/** Registers an app and the stages it is deployed to (APP-1). It has no end-user roles yet. */
export async function createApp(ctx: Ctx, input: unknown): Promise<{ key: string }> {
  const { name, description, stageKeys } = parse(createAppSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'asset.create')
    const deployed = await chosenStages(tx, stageKeys)
    await refuseDuplicateAppName(tx, name)
    const now = nowOf(ctx)
    const [app] = await tx.insert(apps).values({ name, description, createdAt: now, updatedAt: now }).returning({ key: apps.key })
    await tx.insert(appStages).values(deployed.map((s) => ({ appKey: app.key, stageKey: s.key })))
    await audit(tx, ctx, { action: 'app.created', target: { type: 'app', key: app.key, label: name }, after: { name, description, stages: stageCodes(deployed) } })
    return { key: app.key }
  })
}
