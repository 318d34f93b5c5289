import registry from '@/db/seed/permissions.json'
import type { PermissionDef, Scope } from './model'

type RawPermission = (typeof registry.permissions)[number]

/** The fixed permission registry (PERM-1); keys are identical on every installation. */
export const permissionDefs: PermissionDef[] = registry.permissions.map((p: RawPermission, position: number) => ({
  key: p.key,
  slug: p.id,
  category: p.category,
  name: p.name,
  purpose: p.purpose,
  allowedScopes: p.allowedScopes as Scope[],
  allowStages: p.allowStages,
  inherits: p.inherits,
  position,
}))

export const permissionsBySlug = new Map(permissionDefs.map((p) => [p.slug, p]))

export const claimNames = new Map(registry.permissions.map((p: RawPermission) => [p.id, p.claimName]))
export const enforcedBy = new Map(registry.permissions.map((p: RawPermission) => [p.id, p.enforcedBy]))

export type PermissionSlug = string

/** Built-in Developer role: grants per the catalogue, stage limits named by stage code. */
export const developerGrants: Array<{ slug: string; stageCodes: string[] | null }> = (
  registry.builtInRoles.find((r) => r.name === 'Developer')!.grants as Array<{ permission: string; stages: string[] | null }>
).map((g) => ({ slug: g.permission, stageCodes: g.stages }))
