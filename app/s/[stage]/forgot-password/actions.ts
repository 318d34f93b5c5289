'use server'

import { headers } from 'next/headers'
import { formValues, runAction, type ActionResult } from '@/lib/actions'
import { finishPasswordReset, startPasswordReset } from '@/lib/auth/password-reset'
import { findHostedStage } from '@/lib/hosted/stage'
import { clientMeta } from '@/lib/request-meta'

// A stage's forgot-password page (AUTH-7, HOST-1). Public, like the page. Each action is bound to the
// stage code of the page it was rendered on; the code is looked up again here, like any input.

const GONE: ActionResult<never> = { ok: false, error: 'This page no longer exists. Reload it.' }

async function stageKeyOf(stageCode: unknown): Promise<string | null> {
  const stage = typeof stageCode === 'string' ? await findHostedStage(stageCode) : null
  return stage?.key ?? null
}

const anonymousCtx = async () => ({ actor: null, ...clientMeta(await headers()) })

export async function startStageResetAction(stageCode: string, _prev: unknown, formData: FormData): Promise<ActionResult<{ email: string }>> {
  const stageKey = await stageKeyOf(stageCode)
  if (!stageKey) return GONE
  return runAction(async () => startPasswordReset(await anonymousCtx(), { ...formValues(formData, 'email'), stageKey }))
}

export async function finishStageResetAction(stageCode: string, _prev: unknown, formData: FormData): Promise<ActionResult<{ email: string }>> {
  const stageKey = await stageKeyOf(stageCode)
  if (!stageKey) return GONE
  return runAction(async () => finishPasswordReset(await anonymousCtx(), { ...formValues(formData, 'email', 'code', 'password'), stageKey }), 'Your password was changed.')
}
