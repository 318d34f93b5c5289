import 'server-only'
import { withTransaction, type Ctx } from '../context'
import { NotFoundError } from '../errors'
import { parse } from '../validation'
import { groupFor } from './access'
import { addMember, findUser, removeMember } from './membership'
import { setUserGroupMembershipSchema } from './schemas'

/**
 * Puts a user in a group or takes them out (Assigned membership), for the user page's Groups tab.
 * Asking for the state the user is already in changes nothing and writes no audit event.
 */
export async function setUserGroupMembership(ctx: Ctx, input: unknown): Promise<{ changed: boolean }> {
  const { userKey, groupKey, member } = parse(setUserGroupMembershipSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    const group = await groupFor(tx, ctx, groupKey, { manage: true, lock: 'share' })
    const user = await findUser(tx, { key: userKey })
    if (!user) throw new NotFoundError('The user')
    return { changed: member ? await addMember(tx, ctx, group, user) : await removeMember(tx, ctx, group, user) }
  })
}
