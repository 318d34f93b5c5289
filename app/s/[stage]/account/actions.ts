'use server'

import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { formValues, runAction, type ActionResult } from '@/lib/actions'
import { changePassword } from '@/lib/auth/change-password'
import { updateOwnProfile } from '@/lib/hosted/account'
import { revokeOtherStageSessions, revokeOwnStageSession } from '@/lib/hosted/account-sessions'
import { clearStageCookie, getStageRequestContext, type StageCtx } from '@/lib/hosted/request'
import { findHostedStage, type HostedStage } from '@/lib/hosted/stage'
import type { AccountNotice } from './notices'

// The account page of a stage (HOST-1). Each action is bound to the stage code of the page it was
// rendered on; the code is looked up again and the session is the stage's own cookie. Signed out
// meanwhile: back to the stage's sign-in page.

const GONE: ActionResult<never> = { ok: false, error: 'This page no longer exists. Reload it.' }

async function signedIn(stageCode: unknown): Promise<{ stage: HostedStage; ctx: StageCtx } | null> {
  const stage = typeof stageCode === 'string' ? await findHostedStage(stageCode) : null
  if (!stage) return null
  const ctx = await getStageRequestContext(stage)
  if (!ctx.actor) redirect(`/s/${stage.code}/sign-in`)
  return { stage, ctx }
}

const refresh = () => revalidatePath('/s/[stage]/account', 'page')

export async function updateProfileAction(stageCode: string, _prev: unknown, formData: FormData): Promise<ActionResult> {
  const here = await signedIn(stageCode)
  if (!here) return GONE
  const result = await runAction(async () => void (await updateOwnProfile(here.ctx, { ...formValues(formData, 'name', 'photoUrl'), stageKey: here.stage.key })), 'Your profile was saved.')
  refresh()
  return result
}

export async function changePasswordAction(stageCode: string, _prev: unknown, formData: FormData): Promise<ActionResult> {
  const here = await signedIn(stageCode)
  if (!here) return GONE
  const result = await runAction(() => changePassword(here.ctx, formValues(formData, 'currentPassword', 'newPassword')))
  refresh()
  if (!result.ok) return result
  return { ok: true, message: 'Your password was changed. You stay signed in here; everywhere else you were signed out.' }
}

const backWith = (stage: HostedStage, notice: AccountNotice): never => redirect(`/s/${stage.code}/account?notice=${notice}#sessions`)

export async function revokeSessionAction(stageCode: string, _prev: unknown, formData: FormData): Promise<ActionResult> {
  const here = await signedIn(stageCode)
  if (!here) return GONE
  const { sessionId } = formValues(formData, 'sessionId')
  const result = await runAction(() => revokeOwnStageSession(here.ctx, { stageKey: here.stage.key, sessionId }))
  if (!result.ok) return result
  refresh()
  // Ending the session in use is signing out.
  if (result.data!.current) {
    await clearStageCookie(here.stage)
    redirect(`/s/${here.stage.code}/sign-in`)
  }
  return backWith(here.stage, 'session-ended')
}

export async function revokeOtherSessionsAction(stageCode: string): Promise<ActionResult> {
  const here = await signedIn(stageCode)
  if (!here) return GONE
  const result = await runAction(() => revokeOtherStageSessions(here.ctx, { stageKey: here.stage.key }))
  if (!result.ok) return result
  refresh()
  return backWith(here.stage, 'others-ended')
}
