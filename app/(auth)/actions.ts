'use server'

import { AuthError } from 'next-auth'
import { headers } from 'next/headers'
import { redirect } from 'next/navigation'
import { runAction, formValues, type ActionResult } from '@/lib/actions'
import { signIn } from '@/lib/auth/next-auth'
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

export async function acceptInvitationAction(_prev: unknown, formData: FormData): Promise<ActionResult> {
  const values = formValues(formData)
  const result = await runAction(async () => acceptInvitation(await anonymousCtx(), values))
  if (!result.ok) return result
  return signInAndGo(result.data!.email, String(values.password))
}
