import 'server-only'
import { inArray } from 'drizzle-orm'
import { users } from '@/db/schema'
import { withTransaction, type Ctx } from '../context'
import { ValidationError, type FieldErrors } from '../errors'
import { parse } from '../validation'
import { groupFor } from './access'
import { addMember, removeMember } from './membership'
import { changeGroupMembersSchema } from './schemas'

/**
 * Adds and removes Assigned members of a group in one change (the identity API's add/remove lists).
 * Asking for the state a user is already in changes nothing for them: adding a member or removing a
 * non-member is not an error, so a client can repeat a request safely. Every user named must exist,
 * and a user cannot be both added and removed. Mapped memberships are refused as in removeMember,
 * and then nothing at all changes.
 */
export async function changeGroupMembers(ctx: Ctx, input: unknown): Promise<{ added: number; removed: number }> {
  const parsed = parse(changeGroupMembersSchema, input)
  const add = [...new Set(parsed.addUserKeys)]
  const remove = [...new Set(parsed.removeUserKeys)]
  const both = add.filter((k) => remove.includes(k))
  if (both.length) throw new ValidationError('Some fields need attention.', { removeUserKeys: both.map((k) => `${k} is also in the list to add: add or remove a user, not both.`) })
  return withTransaction(ctx, async (tx, ctx) => {
    const group = await groupFor(tx, ctx, parsed.groupKey, { manage: true, lock: 'share' })
    const keys = [...add, ...remove]
    const found = keys.length ? await tx.select({ key: users.key, name: users.name, email: users.email }).from(users).where(inArray(users.key, keys)) : []
    const byKey = new Map(found.map((u) => [u.key, u]))
    const unknown: FieldErrors = {}
    for (const [field, list] of [['addUserKeys', add], ['removeUserKeys', remove]] as const) {
      const missing = list.filter((k) => !byKey.has(k))
      if (missing.length) unknown[field] = missing.map((k) => `No user has the key ${k}.`)
    }
    if (Object.keys(unknown).length) throw new ValidationError('Some fields need attention.', unknown)
    let added = 0
    let removed = 0
    for (const k of add) if (await addMember(tx, ctx, group, byKey.get(k)!)) added++
    for (const k of remove) if (await removeMember(tx, ctx, group, byKey.get(k)!)) removed++
    return { added, removed }
  })
}
