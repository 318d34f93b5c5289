'use server'

import { AuthError } from 'next-auth'
import { headers } from 'next/headers'
import { redirect } from 'next/navigation'
import { runAction, formValues, type ActionResult } from '@/lib/actions'
import { signIn } from '@/lib/auth/next-auth'
import { invitationLanding } from '@/lib/hosted/invitation-landing'
import { setStageCookie } from '@/lib/hosted/request'
import { signInToStage } from '@/lib/hosted/sign-in'
import { clientMeta } from '@/lib/request-meta'
import { runSetup } from '@/lib/setup/run-setup'
import { acceptInvitation } from '@/lib/users/accept-invitation'

async function anonymousCtx() {
  return { actor: null, ...clientMeta(await headers()) }
}

async function signInAndGo(email: string, password: string): Promise<ActionResult> {
  try {
    await signIn('credentials', { email, password, redirect: false })
  } catch (error) {
    if (error instanceof AuthError) return { ok: false, error: 'The email or password is incorrect, or the account is temporarily locked. Try again later.' }
    throw error
  }
  redirect('/')
}

export async function setupAction(_prev: unknown, formData: FormData): Promise<ActionResult> {
  const values = formValues(formData)
  const result = await runAction(async () => runSetup(await anonymousCtx(), values))
  if (!result.ok) return result
  return signInAndGo(String(values.email), String(values.password))
}

export async function signInAction(_prev: unknown, formData: FormData): Promise<ActionResult> {
  const { email, password } = formValues(formData)
  if (typeof email !== 'string' || typeof password !== 'string' || !email || !password)
    return { ok: false, error: 'Enter your email and password.', fieldErrors: { ...(!email ? { email: ['Enter your email.'] } : {}), ...(!password ? { password: ['Enter your password.'] } : {}) } }
  return signInAndGo(email, password)
}

/**
 * Accepting an invitation (AUTH-5) signs the person in where they will work: a member to the
 * portal; an end-user to the hosted pages of the first stage where they hold an application role;
 * an end-user with no role yet to a page saying the account is ready.
 */
export async function acceptInvitationAction(_prev: unknown, formData: FormData): Promise<ActionResult> {
  const values = formValues(formData)
  const ctx = await anonymousCtx()
  const result = await runAction(async () => {
    const accepted = await acceptInvitation(ctx, values)
    return { ...accepted, landing: await invitationLanding(ctx, accepted.userKey) }
  })
  if (!result.ok) return result
  const { email, landing } = result.data!
  const password = String(values.password)
  if (landing.kind === 'portal') return signInAndGo(email, password)
  if (landing.kind === 'ready') redirect('/invite/ready')
  const signedIn = await runAction(() => signInToStage(ctx, { stageKey: landing.stage.key, email, password }))
  // The account is active either way; should the sign-in not go through, the stage's sign-in page takes over.
  if (!signedIn.ok) redirect(`/s/${landing.stage.code}/sign-in`)
  await setStageCookie(landing.stage, signedIn.data!.sessionToken, signedIn.data!.expiresAt)
  redirect(`/s/${landing.stage.code}/account`)
}
