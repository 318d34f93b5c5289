import 'server-only'
import { eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { userCredentials, users, type UserStatus } from '@/db/schema'
import { audit, type AuditInput } from '../audit/record'
import { requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { isUniqueViolation } from '../db-errors'
import { ValidationError } from '../errors'
import { emailSchema, optionalPersonNameSchema, parse } from '../validation'

export const photoUrlSchema = z.url({ protocol: /^https?$/, error: 'Enter an http(s) URL.' }).max(2048, 'URLs have at most 2048 characters.')

export const createUserSchema = z.strictObject({
  email: emailSchema,
  name: optionalPersonNameSchema,
  photoUrl: photoUrlSchema.nullable().default(null),
  isActive: z.boolean().default(true),
  /** When the email already belongs to a user, answer with that user instead of refusing (IDP-42). */
  reuseExisting: z.boolean().default(false),
})
export type CreateUserInput = z.input<typeof createUserSchema>
export type CreateUserData = z.output<typeof createUserSchema>

export const EMAIL_TAKEN_MESSAGE = 'A user with this email already exists.'
const taken = () => new ValidationError(EMAIL_TAKEN_MESSAGE, { email: [EMAIL_TAKEN_MESSAGE] })

/** The status a new user starts in. */
export const initialStatus = (data: CreateUserData): UserStatus => (data.isActive ? 'Active' : 'Inactive')

/** The audit event of a created user, the same for one user and for many (lib/users/create-users.ts). */
export function userCreatedEvent(userKey: string, data: CreateUserData, details?: Record<string, unknown>): AuditInput {
  return { action: 'user.created', target: { type: 'user', key: userKey, label: data.email }, after: { email: data.email, name: data.name, status: initialStatus(data) }, details }
}

/**
 * Creates a user directly, Active or Inactive, with a built-in sign-in (a credential row without a
 * password: they set one through "Forgot password") and no email sent (API-3). Unlike an
 * invitation it grants nothing; roles are assigned afterwards. With `reuseExisting`, an existing
 * user with that email is returned unchanged (name and photo are not overwritten, IDP-42).
 */
export async function createUser(ctx: Ctx, input: unknown): Promise<{ userKey: string; created: boolean }> {
  const data = parse(createUserSchema, input)
  try {
    return await withTransaction(ctx, async (tx, ctx) => {
      await requirePermission(tx, ctx, 'users.manage')
      const [existing] = await tx.select({ key: users.key }).from(users).where(eq(sql`lower(${users.email})`, data.email))
      if (existing) {
        if (!data.reuseExisting) throw taken()
        await tx.insert(userCredentials).values({ userKey: existing.key }).onConflictDoNothing()
        return { userKey: existing.key, created: false }
      }
      const now = nowOf(ctx)
      const status = initialStatus(data)
      const [user] = await tx
        .insert(users)
        .values({ email: data.email, name: data.name, photoUrl: data.photoUrl, status, createdAt: now, updatedAt: now })
        .returning({ key: users.key })
      await tx.insert(userCredentials).values({ userKey: user.key })
      await audit(tx, ctx, userCreatedEvent(user.key, data))
      return { userKey: user.key, created: true }
    })
  } catch (e) {
    if (isUniqueViolation(e, 'users_email_unique')) throw taken()
    throw e
  }
}
