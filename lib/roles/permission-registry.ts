import 'server-only'
import type { Tx } from '@/db/client'
import { catalogueFor } from '../authz'
import type { Ctx } from '../context'

/** The registry as the role editor shows it. The registry calls app scope "Asset"; the UI says "App". */
export type RegistryPermission = {
  slug: string
  name: string
  purpose: string
  scopes: Array<'Organization' | 'App'>
  allowStages: boolean
  inherits: string[]
}
export type RegistryCategory = { category: string; permissions: RegistryPermission[] }
export type StageOption = { key: string; code: string; name: string }
export type PermissionRegistry = { categories: RegistryCategory[]; stages: StageOption[] }

export async function loadPermissionRegistry(tx: Tx, ctx: Ctx): Promise<PermissionRegistry> {
  const catalogue = await catalogueFor(tx, ctx)
  const categories: RegistryCategory[] = []
  for (const def of [...catalogue.permissions.values()].sort((a, b) => a.position - b.position)) {
    let group = categories.find((c) => c.category === def.category)
    if (!group) categories.push((group = { category: def.category, permissions: [] }))
    group.permissions.push({
      slug: def.slug,
      name: def.name,
      purpose: def.purpose,
      scopes: def.allowedScopes.map((s) => (s === 'Asset' ? 'App' : 'Organization')),
      allowStages: def.allowStages,
      inherits: def.inherits,
    })
  }
  return { categories, stages: [...catalogue.stages.values()].map((s) => ({ key: s.key, code: s.code, name: s.name })) }
}
