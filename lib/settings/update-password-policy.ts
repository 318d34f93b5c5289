import 'server-only'
import { eq } from 'drizzle-orm'
import { organizations } from '@/db/schema'
import type { PasswordPolicyMode } from '../auth/password-policy'
import { audit } from '../audit/record'
import { requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { parse } from '../validation'
import { lockOrganization } from './access'
import { updatePasswordPolicySchema } from './schemas'

/**
 * Switches the password rule (AUTH-2) between ODC's (length, a digit, an upper-case letter) and
 * OWASP ASVS 5's (length only); both refuse common passwords. Applies to passwords set from now on.
 */
export async function updatePasswordPolicy(ctx: Ctx, input: unknown): Promise<{ mode: PasswordPolicyMode }> {
  const { mode } = parse(updatePasswordPolicySchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_authentication')
    const org = await lockOrganization(tx)
    if (org.passwordPolicy === mode) return { mode }
    await tx.update(organizations).set({ passwordPolicy: mode, updatedAt: nowOf(ctx) }).where(eq(organizations.key, org.key))
    await audit(tx, ctx, {
      action: 'organization.password_policy_changed',
      target: { type: 'organization', key: org.key, label: org.name },
      before: { passwordPolicy: org.passwordPolicy },
      after: { passwordPolicy: mode },
    })
    return { mode }
  })
}
