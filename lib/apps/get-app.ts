import 'server-only'
import { asc, eq, sql } from 'drizzle-orm'
import { appRoleInstances, appRoles, appStages, apps } from '@/db/schema'
import { hasPermission, requirePermission } from '../authz'
import { withTransaction, type Ctx } from '../context'
import { NotFoundError } from '../errors'
import { parse } from '../validation'
import { appKeySchema } from './schemas'
import { allStages } from './stages'

export type AppRoleDetail = {
  /** The role's key, which is also its externalKey: shared by its per-stage instances (APP-2). */
  key: string
  name: string
  description: string
  isPublic: boolean
  claimName: string
  version: number
  instances: Array<{ key: string; stageKey: string; stageCode: string }>
}

export type AppDetail = {
  key: string
  name: string
  description: string
  version: number
  createdAt: Date
  updatedAt: Date
  /** Every stage of the organization, in order, marked when the app is deployed there. */
  stages: Array<{ key: string; code: string; name: string; deployed: boolean }>
  roles: AppRoleDetail[]
  /** What the viewer may do on this page; the use cases check again on submit. */
  can: { change: boolean; delete: boolean }
}

export async function getApp(ctx: Ctx, input: unknown): Promise<AppDetail> {
  const { appKey } = parse(appKeySchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'asset.open', { appKey })
    const [app] = await tx.select().from(apps).where(eq(apps.key, appKey))
    if (!app) throw new NotFoundError('The app')
    const stageList = await allStages(tx)
    const deployed = new Set((await tx.select({ stageKey: appStages.stageKey }).from(appStages).where(eq(appStages.appKey, appKey))).map((r) => r.stageKey))
    const roles = await tx.select().from(appRoles).where(eq(appRoles.appKey, appKey)).orderBy(asc(sql`lower(${appRoles.name})`)).limit(1000)
    const instances = await tx.select().from(appRoleInstances).where(eq(appRoleInstances.appKey, appKey))
    const position = new Map(stageList.map((s, i) => [s.key, i]))
    const codeOf = new Map(stageList.map((s) => [s.key, s.code]))
    return {
      key: app.key,
      name: app.name,
      description: app.description,
      version: app.version,
      createdAt: app.createdAt,
      updatedAt: app.updatedAt,
      stages: stageList.map((s) => ({ ...s, deployed: deployed.has(s.key) })),
      roles: roles.map((r) => ({
        key: r.key,
        name: r.name,
        description: r.description,
        isPublic: r.isPublic,
        claimName: r.claimName,
        version: r.version,
        instances: instances
          .filter((i) => i.appRoleKey === r.key)
          .sort((a, b) => position.get(a.stageKey)! - position.get(b.stageKey)!)
          .map((i) => ({ key: i.key, stageKey: i.stageKey, stageCode: codeOf.get(i.stageKey)! })),
      })),
      can: { change: await hasPermission(tx, ctx, 'asset.change', { appKey }), delete: await hasPermission(tx, ctx, 'asset.delete', { appKey }) },
    }
  })
}
