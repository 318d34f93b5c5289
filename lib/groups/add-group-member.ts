import 'server-only'
import { withTransaction, type Ctx } from '../context'
import { ConflictError, ValidationError } from '../errors'
import { parse } from '../validation'
import { groupFor } from './access'
import { addMember, findUser, labelOf } from './membership'
import { addGroupMemberSchema } from './schemas'

/** Adds an existing user, found by email, to the group as an Assigned member (UI-7). */
export async function addGroupMember(ctx: Ctx, input: unknown): Promise<{ userKey: string }> {
  const { groupKey, email } = parse(addGroupMemberSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const group = await groupFor(tx, ctx, groupKey, { manage: true, lock: 'share' })
    // Any status will do: an invited user holds the group's roles once they accept.
    const user = await findUser(tx, { email })
    if (!user) throw new ValidationError('Some fields need attention.', { email: ['No user has this email address. Invite them first, then add them to the group.'] })
    if (!(await addMember(tx, ctx, group, user))) throw new ConflictError(`${labelOf(user)} is already in this group.`, { email: ['Already a member of this group.'] })
    return { userKey: user.key }
  })
}
