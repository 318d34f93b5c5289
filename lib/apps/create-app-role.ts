import 'server-only'
import { sql } from 'drizzle-orm'
import { appRoles } from '@/db/schema'
import { audit } from '../audit/record'
import { requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { parse } from '../validation'
import { lockApp } from './access'
import { refuseDuplicateRoleName, roleAuditFields } from './app-roles'
import { createAppRoleSchema } from './schemas'

/**
 * Defines an application role (APP-2) and creates its instance in every stage the app is deployed
 * to, each with its own key; the role's key is the instances' shared externalKey.
 */
export async function createAppRole(ctx: Ctx, input: unknown): Promise<{ key: string; instances: Array<{ key: string; stageKey: string }> }> {
  const p = parse(createAppRoleSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'asset.change', { appKey: p.appKey })
    const app = await lockApp(tx, p.appKey)
    await refuseDuplicateRoleName(tx, app.key, p.name)
    const now = nowOf(ctx)
    const [role] = await tx
      .insert(appRoles)
      .values({ appKey: app.key, name: p.name, description: p.description, isPublic: p.isPublic, claimName: p.claimName, createdAt: now, updatedAt: now })
      .returning({ key: appRoles.key })
    const created = await tx.execute(sql`
      insert into app_role_instances (app_role_key, app_key, stage_key)
      select ${role.key}::uuid, s.app_key, s.stage_key from app_stages s where s.app_key = ${app.key}
      returning key, stage_key, (select code from stages where stages.key = app_role_instances.stage_key) as stage_code`)
    const instances = (created.rows as Array<{ key: string; stage_key: string; stage_code: string }>).map((r) => ({ key: r.key, stageKey: r.stage_key, stageCode: r.stage_code }))
    await audit(tx, ctx, {
      action: 'app_role.created',
      target: { type: 'app_role', key: role.key, label: `${app.name} · ${p.name}` },
      after: { app: app.name, ...roleAuditFields(p) },
      details: { stages: instances.map((i) => i.stageCode) },
    })
    return { key: role.key, instances: instances.map(({ key, stageKey }) => ({ key, stageKey })) }
  })
}
