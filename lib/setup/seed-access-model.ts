import 'server-only'
import type { Tx } from '@/db/client'
import { permissions, rolePermissions, roles, stages } from '@/db/schema'
import { claimNames, developerGrants, enforcedBy, permissionDefs, permissionsBySlug } from '../authz/catalogue'

export const DEFAULT_STAGES = [
  { code: 'DEV', name: 'Development', position: 1 },
  { code: 'QA', name: 'QA', position: 2 },
  { code: 'PRD', name: 'Production', position: 3 },
]

/** Stages (STG-1), the permission registry (PERM-1) and the built-in roles (ROLE-1). */
export async function seedAccessModel(tx: Tx): Promise<{ administratorRoleKey: string; developerRoleKey: string }> {
  const stageRows = await tx.insert(stages).values(DEFAULT_STAGES).returning({ key: stages.key, code: stages.code })
  const stageKey = new Map(stageRows.map((s) => [s.code, s.key]))

  await tx
    .insert(permissions)
    .values(
      permissionDefs.map((p) => ({
        key: p.key,
        slug: p.slug,
        category: p.category,
        name: p.name,
        purpose: p.purpose,
        allowedScopes: p.allowedScopes,
        allowStages: p.allowStages,
        inherits: p.inherits,
        claimName: claimNames.get(p.slug)!,
        enforcedBy: enforcedBy.get(p.slug)!,
        position: p.position,
      })),
    )
    .onConflictDoNothing()

  const [admin] = await tx
    .insert(roles)
    .values({ name: 'Administrator', description: 'Every permission in every stage.', isReadOnly: true, builtIn: 'administrator' })
    .returning({ key: roles.key })
  const [developer] = await tx
    .insert(roles)
    .values({
      name: 'Developer',
      description: 'Builds and debugs apps, deploys to Development, and manages end-user access in Development.',
      isReadOnly: true,
      builtIn: 'developer',
    })
    .returning({ key: roles.key })

  await tx.insert(rolePermissions).values(permissionDefs.map((p) => ({ roleKey: admin.key, permissionKey: p.key, stageKeys: null })))
  await tx.insert(rolePermissions).values(
    developerGrants.map((g) => ({
      roleKey: developer.key,
      permissionKey: permissionsBySlug.get(g.slug)!.key,
      stageKeys: g.stageCodes ? g.stageCodes.map((c) => stageKey.get(c)!) : null,
    })),
  )
  return { administratorRoleKey: admin.key, developerRoleKey: developer.key }
}
