import 'server-only'
import { audit } from '../audit/record'
import { requirePermission } from '../authz'
import { withTransaction, type Ctx } from '../context'
import { ConflictError } from '../errors'
import { kickMailDelivery } from '../mail/outbox'
import { parse } from '../validation'
import { findUserForUpdate } from './guards'
import { issueInvitation } from './invitations'
import { userKeySchema } from './schemas'

/** Sends a new code and link; the previous invitation stops working at once (AUTH-5). */
export async function resendInvitation(ctx: Ctx, input: unknown): Promise<{ link: string; expiresAt: Date }> {
  const { userKey } = parse(userKeySchema, input)
  const result = await withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_member_access')
    const user = await findUserForUpdate(tx, userKey)
    if (user.status !== 'Invited' || !user.email) throw new ConflictError('Only invited users who have not accepted yet can be sent a new invitation.')
    const issued = await issueInvitation(tx, ctx, { key: user.key, email: user.email })
    await audit(tx, ctx, { action: 'member.invitation_resent', target: { type: 'user', key: user.key, label: user.email }, details: { expiresAt: issued.expiresAt.toISOString() } })
    return issued
  })
  kickMailDelivery()
  return result
}
