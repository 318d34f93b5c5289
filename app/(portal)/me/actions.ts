'use server'

import { revalidatePath } from 'next/cache'
import { formValues, runAction } from '@/lib/actions'
import { changePassword } from '@/lib/auth/change-password'
import { signOut } from '@/lib/auth/next-auth'
import { getRequestContext } from '@/lib/request'
import { revokeMyOtherSessions, revokeMySession } from '@/lib/users/sessions'

export async function revokeSessionAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const values = formValues(formData)
  const current = ctx.actor?.type === 'user' && ctx.actor.sessionIdHash === values.id
  const result = await runAction(() => revokeMySession(ctx, values), 'The session was signed out.')
  // Ending the session you are using is signing out.
  if (result.ok && current) await signOut({ redirectTo: '/sign-in' })
  revalidatePath('/me')
  return result
}

export async function revokeOtherSessionsAction() {
  const ctx = await getRequestContext()
  const result = await runAction(async () => {
    const { sessionsEnded } = await revokeMyOtherSessions(ctx)
    return sessionsEnded
  })
  revalidatePath('/me')
  return result.ok ? { ...result, message: result.data === 1 ? 'One other session was signed out.' : `${result.data} other sessions were signed out.` } : result
}

export async function changePasswordAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const result = await runAction(() => changePassword(ctx, formValues(formData, 'currentPassword', 'newPassword')))
  revalidatePath('/me')
  if (!result.ok) return result
  const ended = result.data!.sessionsEnded
  const others = ended === 0 ? '' : ended === 1 ? ' One other session was signed out.' : ` ${ended} other sessions were signed out.`
  return { ...result, message: `Your password was changed.${others}` }
}
