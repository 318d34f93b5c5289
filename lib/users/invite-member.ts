import 'server-only'
import type { Ctx } from '../context'
import { parse } from '../validation'
import { inviteUser, type InviteResult } from './invite-user'
import { inviteMemberSchema } from './schemas'

export type { InviteResult }

/** Invites a member by email with an organization role (AUTH-5); the rules live in inviteUser. */
export async function inviteMember(ctx: Ctx, input: unknown): Promise<InviteResult> {
  const { email, name, roleKey } = parse(inviteMemberSchema, input)
  return inviteUser(ctx, { email, name, roleKey: roleKey ?? '' })
}
