'use server'

import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { formValues, runAction } from '@/lib/actions'
import { getRequestContext } from '@/lib/request'
import { deleteUser } from '@/lib/users/delete-user'
import { inviteMember } from '@/lib/users/invite-member'
import { resendInvitation } from '@/lib/users/resend-invitation'
import { revokeAllUserSessions, unlockUser } from '@/lib/users/sessions'
import { setOrganizationRole } from '@/lib/users/set-organization-role'
import { activateUser, deactivateUser } from '@/lib/users/set-user-status'

// Each action is a public endpoint: it only adapts the form to a use case, which authorizes.

export async function inviteMemberAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const result = await runAction(() => inviteMember(ctx, formValues(formData)))
  if (!result.ok) return result
  redirect(`/users/${result.data!.userKey}?invited=1`)
}

function userAction<T>(fn: (ctx: Awaited<ReturnType<typeof getRequestContext>>, input: unknown) => Promise<T>, message: (data: T) => string) {
  return async (_prev: unknown, formData: FormData) => {
    const ctx = await getRequestContext()
    const values = formValues(formData)
    const result = await runAction(() => fn(ctx, values))
    if (typeof values.userKey === 'string') revalidatePath(`/users/${values.userKey}`)
    return result.ok ? { ...result, message: message(result.data as T) } : result
  }
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many.replace('#', String(n)))

export const deactivateUserAction = userAction(deactivateUser, (r) => `The user is inactive. ${plural(r.sessionsEnded, 'One session was ended.', '# sessions were ended.')}`)
export const activateUserAction = userAction(activateUser, () => 'The user is active again.')
export const resendInvitationAction = userAction(resendInvitation, () => 'A new invitation was sent. The previous code no longer works.')
export const revokeSessionsAction = userAction(revokeAllUserSessions, (r) => plural(r.sessionsEnded, 'One session was ended.', '# sessions were ended.'))
export const unlockUserAction = userAction(unlockUser, () => 'The account is unlocked.')
export const setOrganizationRoleAction = userAction(setOrganizationRole, () => 'The organization role was saved.')

export async function deleteUserAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const result = await runAction(() => deleteUser(ctx, formValues(formData)))
  if (!result.ok) return result
  redirect('/users?deleted=1')
}
