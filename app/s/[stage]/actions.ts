'use server'

import { headers } from 'next/headers'
import { redirect } from 'next/navigation'
import { formValues, runAction, type ActionResult } from '@/lib/actions'
import { clearStageCookie, getStageRequestContext, setStageCookie } from '@/lib/hosted/request'
import { signInToStage } from '@/lib/hosted/sign-in'
import { signOutOfStage } from '@/lib/hosted/sign-out'
import { signUp } from '@/lib/hosted/sign-up'
import { findHostedStage, type HostedStage } from '@/lib/hosted/stage'
import { verifyRegistration } from '@/lib/hosted/verify-registration'
import { clientMeta } from '@/lib/request-meta'

// The hosted pages' sign-in, sign-up, verification and sign-out (HOST-1). Each action is bound to
// the stage code of the page it was rendered on; the code is looked up again here, like any input.

const GONE: ActionResult = { ok: false, error: 'This page no longer exists. Reload it.' }

async function stageOf(code: unknown): Promise<HostedStage | null> {
  return typeof code === 'string' ? findHostedStage(code) : null
}

async function anonymousCtx() {
  return { actor: null, ...clientMeta(await headers()) }
}

export async function signInToStageAction(stageCode: string, _prev: unknown, formData: FormData): Promise<ActionResult> {
  const stage = await stageOf(stageCode)
  if (!stage) return GONE
  const { email, password } = formValues(formData, 'email', 'password')
  if (typeof email !== 'string' || typeof password !== 'string' || !email.trim() || !password)
    return { ok: false, error: 'Enter your email and password.', fieldErrors: { ...(!email ? { email: ['Enter your email.'] } : {}), ...(!password ? { password: ['Enter your password.'] } : {}) } }
  const ctx = await anonymousCtx()
  const result = await runAction(() => signInToStage(ctx, { stageKey: stage.key, email, password }))
  if (!result.ok) return result
  await setStageCookie(stage, result.data!.sessionToken, result.data!.expiresAt)
  redirect(`/s/${stage.code}/account`)
}

export async function signUpAction(stageCode: string, _prev: unknown, formData: FormData): Promise<ActionResult> {
  const stage = await stageOf(stageCode)
  if (!stage) return GONE
  const values = formValues(formData)
  const ctx = await anonymousCtx()
  const result = await runAction(() => signUp(ctx, { ...values, stageKey: stage.key }))
  if (!result.ok) return result
  // The same next page for every address: the verify page says a code was sent if it could be.
  const email = String(values.email).trim().toLowerCase()
  redirect(`/s/${stage.code}/verify?${new URLSearchParams({ email, sent: '1' }).toString()}`)
}

export async function verifyRegistrationAction(stageCode: string, _prev: unknown, formData: FormData): Promise<ActionResult> {
  const stage = await stageOf(stageCode)
  if (!stage) return GONE
  const values = formValues(formData)
  const ctx = await anonymousCtx()
  const result = await runAction(() => verifyRegistration(ctx, { ...values, stageKey: stage.key }))
  if (!result.ok) return result
  await setStageCookie(stage, result.data!.sessionToken, result.data!.expiresAt)
  redirect(`/s/${stage.code}/account`)
}

/** For `<form action={signOutOfStageAction.bind(null, stage.code)}>` on the account page. */
export async function signOutOfStageAction(stageCode: string): Promise<void> {
  const stage = await stageOf(stageCode)
  if (!stage) redirect('/')
  await signOutOfStage(await getStageRequestContext(stage))
  await clearStageCookie(stage)
  redirect(`/s/${stage.code}/sign-in`)
}
