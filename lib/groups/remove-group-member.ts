import 'server-only'
import { withTransaction, type Ctx } from '../context'
import { ConflictError, NotFoundError } from '../errors'
import { parse } from '../validation'
import { groupFor } from './access'
import { findUser, labelOf, removeMember } from './membership'
import { removeGroupMemberSchema } from './schemas'

/** Removes an Assigned member from the group; Mapped memberships are refused (see removeMember). */
export async function removeGroupMember(ctx: Ctx, input: unknown): Promise<void> {
  const { groupKey, userKey } = parse(removeGroupMemberSchema, input)
  await withTransaction(ctx, async (tx, ctx) => {
    const group = await groupFor(tx, ctx, groupKey, { manage: true, lock: 'share' })
    const user = await findUser(tx, { key: userKey })
    if (!user) throw new NotFoundError('The user')
    if (!(await removeMember(tx, ctx, group, user))) throw new ConflictError(`${labelOf(user)} is not in this group any more. Reload the page.`)
  })
}
