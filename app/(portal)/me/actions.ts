'use server'

import { revalidatePath } from 'next/cache'
import { formValues, runAction } from '@/lib/actions'
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
