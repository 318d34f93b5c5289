import 'server-only'
import { eq } from 'drizzle-orm'
import { z } from 'zod'
import { users } from '@/db/schema'
import { audit } from '../audit/record'
import { requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { parse, uuidSchema } from '../validation'
import { photoUrlSchema } from './create-user'
import { findUserForUpdate } from './guards'
import { activateUser, deactivateUser } from './set-user-status'

export const updateUserProfileSchema = z.strictObject({
  userKey: uuidSchema,
  /** Absent: no change. */
  name: z.string().trim().max(120, 'Names have at most 120 characters.').optional(),
  /** Absent: no change; null removes the photo. */
  photoUrl: photoUrlSchema.nullable().optional(),
  /** Absent: no change; false deactivates (ending sessions), true activates an inactive user. */
  isActive: z.boolean().optional(),
})

/**
 * Changes a user's name, photo and active state (API-7). The state change goes through
 * deactivateUser / activateUser (their rules: never the last administrator); asking for the state
 * the user is already in changes nothing.
 */
export async function updateUserProfile(ctx: Ctx, input: unknown): Promise<void> {
  const data = parse(updateUserProfileSchema, input)
  await withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage')
    const user = await findUserForUpdate(tx, data.userKey)
    const changes: { name?: string; photoUrl?: string | null } = {}
    if (data.name !== undefined && data.name !== user.name) changes.name = data.name
    if (data.photoUrl !== undefined && data.photoUrl !== user.photoUrl) changes.photoUrl = data.photoUrl
    if (Object.keys(changes).length) {
      await tx.update(users).set({ ...changes, updatedAt: nowOf(ctx) }).where(eq(users.key, user.key))
      const before = Object.fromEntries(Object.keys(changes).map((k) => [k, user[k as keyof typeof changes]]))
      await audit(tx, ctx, { action: 'user.updated', target: { type: 'user', key: user.key, label: user.email ?? user.name }, before, after: changes })
    }
    if (data.isActive === false && user.status !== 'Inactive') await deactivateUser(ctx, { userKey: user.key })
    if (data.isActive === true && user.status !== 'Active') await activateUser(ctx, { userKey: user.key })
  })
}
