import 'server-only'
import { eq } from 'drizzle-orm'
import { appRoles } from '@/db/schema'
import { audit, diff } from '../audit/record'
import { nowOf, withTransaction, type Ctx } from '../context'
import { ConflictError } from '../errors'
import { parse } from '../validation'
import { staleMessage } from './access'
import { authorizeRole, refuseDuplicateRoleName, roleAuditFields } from './app-roles'
import { updateAppRoleSchema } from './schemas'

/** Edits an application role's name, description, public flag and claim name; its instances keep their keys. */
export async function updateAppRole(ctx: Ctx, input: unknown): Promise<{ version: number }> {
  const p = parse(updateAppRoleSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const { app, role } = await authorizeRole(tx, ctx, p.roleKey)
    if (role.version !== p.version) throw new ConflictError(staleMessage('role'))
    const changed = diff(roleAuditFields(role), roleAuditFields(p))
    if (Object.keys(changed.after).length === 0) return { version: role.version }
    if (p.name !== role.name) await refuseDuplicateRoleName(tx, app.key, p.name, role.key)
    const [{ version }] = await tx
      .update(appRoles)
      .set({ name: p.name, description: p.description, isPublic: p.isPublic, claimName: p.claimName, version: role.version + 1, updatedAt: nowOf(ctx) })
      .where(eq(appRoles.key, role.key))
      .returning({ version: appRoles.version })
    await audit(tx, ctx, { action: 'app_role.updated', target: { type: 'app_role', key: role.key, label: `${app.name} · ${p.name}` }, ...changed })
    return { version }
  })
}
