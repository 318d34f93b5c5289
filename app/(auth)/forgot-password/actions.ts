'use server'

import { headers } from 'next/headers'
import { formValues, runAction, type ActionResult } from '@/lib/actions'
import { finishPasswordReset, startPasswordReset } from '@/lib/auth/password-reset'
import type { Ctx } from '@/lib/context'
import { clientMeta } from '@/lib/request-meta'

// The portal's forgot-password page (AUTH-7). Public: anyone may ask, and the answer never says
// whether the account exists.

async function anonymousCtx(): Promise<Ctx> {
  return { actor: null, ...clientMeta(await headers()) }
}

export async function startPortalResetAction(_prev: unknown, formData: FormData): Promise<ActionResult<{ email: string }>> {
  return runAction(async () => startPasswordReset(await anonymousCtx(), formValues(formData, 'email')))
}

export async function finishPortalResetAction(_prev: unknown, formData: FormData): Promise<ActionResult<{ email: string }>> {
  return runAction(async () => finishPasswordReset(await anonymousCtx(), formValues(formData, 'email', 'code', 'password')), 'Your password was changed.')
}
