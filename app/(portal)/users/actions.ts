'use server'

import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { previewEndUserRoles, setEndUserRoles } from '@/lib/access/end-user-access'
import { previewRoleGrant } from '@/lib/access/grant-impact'
import { setRoleGrant } from '@/lib/access/grants'
import { setUserGroupMembership } from '@/lib/groups/set-user-group-membership'
import { formValues, needsConfirmation, runAction } from '@/lib/actions'
import type { UserNotice } from './notices'
import { getRequestContext } from '@/lib/request'
import { deleteUser } from '@/lib/users/delete-user'
import { inviteUser } from '@/lib/users/invite-user'
import { resendInvitation } from '@/lib/users/resend-invitation'
import { revokeAllUserSessions, unlockUser } from '@/lib/users/sessions'
import { setOrganizationRole } from '@/lib/users/set-organization-role'
import { activateUser, deactivateUser } from '@/lib/users/set-user-status'

// Each action is a public endpoint: it only adapts the form to a use case, which authorizes.

export async function inviteUserAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  // Checkboxes arrive as repeated fields; everything else goes to the schema as sent, so unknown fields are refused.
  const input = { ...formValues(formData), groupKeys: formData.getAll('groupKeys'), instanceKeys: formData.getAll('instanceKeys') }
  const result = await runAction(() => inviteUser(ctx, input))
  if (!result.ok) return result
  redirect(`/users/${result.data!.userKey}?notice=invited`)
}

/**
 * Runs a use case on one user and, on success, reloads the user page with a notice: the button
 * that was pressed may no longer exist on the new page (a deactivated user has no Deactivate).
 */
function userAction(fn: (ctx: Awaited<ReturnType<typeof getRequestContext>>, input: unknown) => Promise<unknown>, notice: UserNotice) {
  return async (_prev: unknown, formData: FormData) => {
    const ctx = await getRequestContext()
    const { returnTab, ...values } = formValues(formData)
    const result = await runAction(() => fn(ctx, values))
    if (!result.ok || typeof values.userKey !== 'string') return result
    revalidatePath(`/users/${values.userKey}`)
    redirect(`/users/${values.userKey}?${tabParam(returnTab)}notice=${notice}`)
  }
}

const tabParam = (tab: unknown) => (typeof tab === 'string' && /^[a-z-]{1,30}$/.test(tab) ? `tab=${tab}&` : '')

export const deactivateUserAction = userAction(deactivateUser, 'deactivated')
export const activateUserAction = userAction(activateUser, 'activated')
export const resendInvitationAction = userAction(resendInvitation, 'invitation-resent')
export const revokeSessionsAction = userAction(revokeAllUserSessions, 'sessions-ended')
export const unlockUserAction = userAction(unlockUser, 'unlocked')
export const setOrganizationRoleAction = userAction(setOrganizationRole, 'role-saved')
const applyRoleGrant = userAction(setRoleGrant, 'grant-saved')

/**
 * Impact before harm: a grant change that takes access away is first answered with what the user
 * would lose; the form shows it and applies the change only when it is submitted again confirmed.
 */
export async function setRoleGrantAction(prev: unknown, formData: FormData) {
  const confirmed = formData.get('confirmed') === 'yes'
  formData.delete('confirmed')
  if (!confirmed) {
    const ctx = await getRequestContext()
    const { returnTab: _tab, ...values } = formValues(formData)
    const preview = await runAction(() => previewRoleGrant(ctx, values))
    if (!preview.ok) return preview
    if (preview.data!.losses.length) return needsConfirmation(preview.data!.losses)
  }
  return applyRoleGrant(prev, formData)
}
export const setUserGroupMembershipAction = async (prev: unknown, formData: FormData) => {
  formData.set('returnTab', 'groups')
  return userAction(setUserGroupMembership, formData.get('member') === 'true' ? 'group-joined' : 'group-left')(prev, formData)
}

export async function setEndUserRolesAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const userKey = formData.get('userKey')
  const input = { userKey, appKeys: formData.getAll('appKeys'), instanceKeys: formData.getAll('instanceKeys') }
  if (formData.get('confirmed') !== 'yes') {
    const preview = await runAction(() => previewEndUserRoles(ctx, input))
    if (!preview.ok) return preview
    if (preview.data!.losses.length) return needsConfirmation(preview.data!.losses)
  }
  const result = await runAction(() => setEndUserRoles(ctx, input))
  if (!result.ok || typeof userKey !== 'string') return result
  revalidatePath(`/users/${userKey}`)
  redirect(`/users/${userKey}?tab=end-user&notice=end-user-roles-saved`)
}

export async function deleteUserAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const result = await runAction(() => deleteUser(ctx, formValues(formData)))
  if (!result.ok) return result
  redirect('/users?deleted=1')
}
