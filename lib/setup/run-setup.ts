import 'server-only'
import { count } from 'drizzle-orm'
import { organizations, roleAssignments, userCredentials, users } from '@/db/schema'
import { audit } from '../audit/record'
import { hashPassword, assertPasswordAllowed } from '../auth/passwords'
import { nowOf, withTransaction, type Ctx } from '../context'
import { isUniqueViolation } from '../db-errors'
import { ConflictError } from '../errors'
import { parse } from '../validation'
import { setupSchema } from './schemas'
import { seedAccessModel } from './seed-access-model'

const ALREADY = 'Gatehouse is already set up. Sign in instead.'

/**
 * First run (UI-1, ORG-2): the organization, its stages, the permission registry, the built-in
 * roles and the first administrator, all or nothing. Allowed only while no organization exists;
 * the singleton index on organizations makes a concurrent second setup fail instead of doubling.
 */
export async function runSetup(ctx: Ctx, input: unknown): Promise<{ organizationKey: string; userKey: string }> {
  const data = parse(setupSchema, input)
  assertPasswordAllowed(data.password)
  const passwordHash = await hashPassword(data.password)
  try {
    return await withTransaction(ctx, async (tx, ctx) => {
      const [{ n }] = await tx.select({ n: count() }).from(organizations)
      if (n > 0) throw new ConflictError(ALREADY)
      const now = nowOf(ctx)
      const [org] = await tx.insert(organizations).values({ name: data.organizationName }).returning()
      const { administratorRoleKey } = await seedAccessModel(tx)
      const [user] = await tx
        .insert(users)
        .values({ name: data.name, email: data.email, status: 'Active', isEmailVerified: true, isMember: true, createdAt: now, updatedAt: now })
        .returning({ key: users.key })
      await tx.insert(userCredentials).values({ userKey: user.key, passwordHash, passwordChangedAt: now })
      await tx.insert(roleAssignments).values({ userKey: user.key, roleKey: administratorRoleKey })
      const setupCtx: Ctx = { ...ctx, actor: { type: 'user', userKey: user.key, label: data.email } }
      await audit(tx, setupCtx, {
        action: 'organization.setup',
        target: { type: 'organization', key: org.key, label: org.name },
        after: { organizationName: org.name, administrator: data.email, stages: ['DEV', 'QA', 'PRD'] },
      })
      return { organizationKey: org.key, userKey: user.key }
    })
  } catch (e) {
    if (isUniqueViolation(e, 'organizations_singleton')) throw new ConflictError(ALREADY)
    throw e
  }
}
