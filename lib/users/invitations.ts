import 'server-only'
import { and, eq, isNull } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { invitations, organizations } from '@/db/schema'
import type { Ctx } from '../context'
import { nowOf } from '../context'
import { env } from '../env'
import { enqueueMail } from '../mail/outbox'
import { invitationMail } from '../mail/templates'
import { hashCode, randomCode, randomToken, sha256 } from '../auth/tokens'

export const INVITATION_DAYS = 7
export const INVITATION_CODE_ATTEMPTS = 5

export const invitationLink = (token: string) => `${env().APP_URL.replace(/\/$/, '')}/invite/${token}`

/**
 * Revokes any open invitation of the user and issues a new one (AUTH-5): the email carries the
 * link and the code; only their hashes are stored. Returns the link for the operator CLI.
 */
export async function issueInvitation(tx: Tx, ctx: Ctx, user: { key: string; email: string }): Promise<{ link: string; expiresAt: Date }> {
  const now = nowOf(ctx)
  await tx
    .update(invitations)
    .set({ revokedAt: now })
    .where(and(eq(invitations.userKey, user.key), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
  const token = randomToken()
  const code = randomCode()
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000)
  await tx.insert(invitations).values({
    userKey: user.key,
    tokenHash: sha256(token),
    codeHash: hashCode('invitation', code),
    expiresAt,
    createdAt: now,
    createdBy: ctx.actor?.type === 'user' ? ctx.actor.userKey : null,
  })
  const [org] = await tx.select({ name: organizations.name }).from(organizations).limit(1)
  const link = invitationLink(token)
  await enqueueMail(tx, invitationMail({ org: org?.name ?? 'Gatehouse', to: user.email, inviter: ctx.actor?.label ?? 'An administrator', link, code, expiresAt }))
  return { link, expiresAt }
}
