import 'server-only'
import { eq } from 'drizzle-orm'
import { appRoleInstances, appRoles } from '@/db/schema'
import { audit } from '../audit/record'
import { withTransaction, type Ctx } from '../context'
import { ConflictError } from '../errors'
import { parse } from '../validation'
import { staleMessage } from './access'
import { authorizeRole, roleAuditFields } from './app-roles'
import { instanceImpact, removingInstances, type Impact } from './impact'
import { appRoleKeySchema, deleteAppRoleSchema } from './schemas'

/** Who would lose the role, per stage, before it is deleted (APP-2). */
export async function previewAppRoleDeletion(ctx: Ctx, input: unknown): Promise<Impact> {
  const { roleKey } = parse(appRoleKeySchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await authorizeRole(tx, ctx, roleKey)
    return instanceImpact(tx, eq(appRoleInstances.appRoleKey, roleKey))
  })
}

/** Deletes an application role with every instance: its direct assignments and group grants go too. */
export async function deleteAppRole(ctx: Ctx, input: unknown): Promise<Impact> {
  const { roleKey, version } = parse(deleteAppRoleSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const { app, role } = await authorizeRole(tx, ctx, roleKey)
    if (version !== undefined && role.version !== version) throw new ConflictError(staleMessage('role'))
    const instances = eq(appRoleInstances.appRoleKey, roleKey)
    const impact = await instanceImpact(tx, instances)
    await removingInstances(tx, instances, async () => {
      await tx.delete(appRoles).where(eq(appRoles.key, roleKey))
    })
    await audit(tx, ctx, {
      action: 'app_role.deleted',
      target: { type: 'app_role', key: roleKey, label: `${app.name} · ${role.name}` },
      before: { app: app.name, ...roleAuditFields(role) },
      details: {
        counts: {
          usersLosingRole: impact.users,
          groupsLosingRole: impact.groups,
          byStage: impact.stages.map((s) => ({ stage: s.stageCode, users: s.users, groups: s.groups })),
        },
      },
    })
    return impact
  })
}
