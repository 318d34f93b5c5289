import { eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { users } from '@/db/schema'
import { withTransaction } from '@/lib/context'
import { NotFoundError } from '@/lib/errors'
import { unlockUser as unlockUserUseCase } from '@/lib/users/sessions'
import { emailSchema, parse } from '@/lib/validation'
import { cliCtx, defineCommand } from '../command'

export const unlockUser = defineCommand({
  name: 'unlock-user',
  summary: 'Clear the failed sign-in attempts and lockout of a user.',
  details: ['For when the only administrators are locked out of the portal. The change is recorded in the audit trail.'],
  options: {
    email: { type: 'string', valueName: 'EMAIL', required: true, description: 'Email address of the user to unlock.' },
  },
  async run({ options }) {
    // The portal's own email rules, so the CLI accepts and rejects exactly what the portal does.
    const { email } = parse(z.strictObject({ email: emailSchema }), { email: options.email })
    // Lookup and unlock share one transaction: the key found is the key unlocked.
    const { userKey, wasLocked } = await withTransaction(cliCtx(), async (tx, ctx) => {
      const [user] = await tx.select({ key: users.key }).from(users).where(eq(sql`lower(${users.email})`, email))
      if (!user) throw new NotFoundError(`A user with the email ${email}`)
      return { userKey: user.key, ...(await unlockUserUseCase(ctx, { userKey: user.key })) }
    })
    return {
      lines: [wasLocked ? `Unlocked ${email}: failed sign-in attempts reset and lockout cleared.` : `${email} was not locked out; nothing to clear.`],
      data: { email, userKey, wasLocked },
    }
  },
})
