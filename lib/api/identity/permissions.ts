import 'server-only'
import { z } from 'zod'
import type { Tx } from '@/db/client'
import { catalogueFor, principalFor } from '../../authz'
import { claimNames, permissionsBySlug } from '../../authz/catalogue'
import type { PermissionDef } from '../../authz/model'
import { nowOf, withTransaction, type Ctx } from '../../context'
import { ForbiddenError, NotFoundError } from '../../errors'
import { parse, uuidSchema } from '../../validation'
import { listResponse, limitParam, offsetParam, querySchema } from '../query'

// The permission registry as ODC's identity API shows it (API-36, API-37, API-S11). The registry is
// fixed (PERM-1): the same keys on every installation, read from lib/authz/catalogue.

export type PermissionResponse = {
  key: string
  name: string | null
  category: string | null
  purpose: string | null
  visibility: 'Hidden' | 'Public' | 'Internal'
  inherits: Array<{ key: string; realmStages: Array<'PRD' | 'QA' | 'DEV' | 'SAME_STAGE'>; realmPortfolio: null }>
  allowStages: boolean
  allowPortfolios: boolean
  allowedScopes: Array<'Organization' | 'Asset'>
  claimName: string | null
  remarks: string | null
}

export const permissionsQuery = querySchema({ nameContains: z.string().max(200).optional(), offset: offsetParam, limit: limitParam })

/** ODC's shape of one registry entry. An inherited permission holds in the same stages as the one inheriting it. */
export function permissionResponse(def: PermissionDef): PermissionResponse {
  return {
    key: def.key,
    name: def.name,
    category: def.category,
    purpose: def.purpose,
    visibility: 'Public',
    inherits: def.inherits.map((slug) => ({ key: permissionsBySlug.get(slug)!.key, realmStages: ['SAME_STAGE'], realmPortfolio: null })),
    allowStages: def.allowStages,
    allowPortfolios: false,
    allowedScopes: [...def.allowedScopes],
    claimName: claimNames.get(def.slug) ?? null,
    remarks: null,
  }
}

/** "API client must have at least one permission" (API-36, API-30): any grant in force now. */
export async function requireSomePermission(tx: Tx, ctx: Ctx): Promise<void> {
  if (ctx.actor?.type === 'system') return
  const principal = await principalFor(tx, ctx)
  const now = nowOf(ctx)
  const holdsOne = principal.grants.some((g) => g.permissions.length > 0 && (!g.startsAt || g.startsAt <= now) && (!g.endsAt || g.endsAt > now))
  if (!holdsOne) throw new ForbiddenError('This API client holds no permission.')
}

async function orderedPermissions(tx: Tx, ctx: Ctx): Promise<PermissionDef[]> {
  const catalogue = await catalogueFor(tx, ctx)
  return [...catalogue.permissions.values()].sort((a, b) => a.position - b.position)
}

/** GET /permissions: registry order, `nameContains` matching the name case-insensitively. */
export async function queryPermissions(ctx: Ctx, query: z.infer<typeof permissionsQuery.schema>) {
  return withTransaction(ctx, async (tx, ctx) => {
    await requireSomePermission(tx, ctx)
    const term = query.nameContains?.trim().toLowerCase() ?? ''
    const matching = (await orderedPermissions(tx, ctx)).filter((p) => !term || p.name.toLowerCase().includes(term))
    const page = matching.slice(query.offset, query.offset + query.limit).map(permissionResponse)
    return listResponse(page, query, matching.length)
  })
}

/** GET /permissions/{key}. */
export async function readPermission(ctx: Ctx, params: unknown): Promise<PermissionResponse> {
  const { key } = parse(z.object({ key: uuidSchema }), params)
  return withTransaction(ctx, async (tx, ctx) => {
    await requireSomePermission(tx, ctx)
    const def = (await orderedPermissions(tx, ctx)).find((p) => p.key === key)
    if (!def) throw new NotFoundError('The permission')
    return permissionResponse(def)
  })
}
