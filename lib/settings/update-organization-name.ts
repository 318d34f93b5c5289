import 'server-only'
import { eq } from 'drizzle-orm'
import { organizations } from '@/db/schema'
import { audit } from '../audit/record'
import { requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { parse } from '../validation'
import { lockOrganization } from './access'
import { updateOrganizationNameSchema } from './schemas'

/** Renames the organization (ORG-1); its name heads every email and hosted page. */
export async function updateOrganizationName(ctx: Ctx, input: unknown): Promise<{ name: string }> {
  const { name } = parse(updateOrganizationNameSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'org.manage')
    const org = await lockOrganization(tx)
    if (org.name === name) return { name }
    await tx.update(organizations).set({ name, updatedAt: nowOf(ctx) }).where(eq(organizations.key, org.key))
    await audit(tx, ctx, { action: 'organization.renamed', target: { type: 'organization', key: org.key, label: name }, before: { name: org.name }, after: { name } })
    return { name }
  })
}
