import 'server-only'
import { audit } from '../audit/record'
import { authenticatePassword, InvalidCredentialsError, recordSignIn } from '../auth/sign-in'
import { openStageSession } from '../auth/stage-sessions'
import { nowOf, withTransaction, type Ctx } from '../context'
import { signInToStageSchema } from './schemas'
import { loadStage } from './stage-row'

export type StageSession = { userKey: string; sessionToken: string; expiresAt: Date }

/** The ways to sign in on a stage's hosted pages (HOST-2). External providers join this list when assigned. */
export type StageSignInProvider = { key: string; name: string; kind: 'built-in' }

export function stageSignInProviders(): StageSignInProvider[] {
  return [{ key: 'built-in', name: 'Email and password', kind: 'built-in' }]
}

/**
 * An end-user signs in to a stage's hosted pages with email and password (AUTH-1): the portal's
 * rules — the attempt counted under a row lock before the password is checked, one answer for
 * every failure, Active users only — and a session bound to the stage and its limits (AUTH-4).
 */
export async function signInToStage(ctx: Ctx, input: unknown): Promise<StageSession> {
  const parsed = signInToStageSchema.safeParse(input)
  if (!parsed.success) throw new InvalidCredentialsError()
  const { stageKey, email, password } = parsed.data
  const stage = await withTransaction(ctx, (tx) => loadStage(tx, stageKey))
  const user = await authenticatePassword(ctx, { email, password })
  return withTransaction(ctx, async (tx, ctx) => {
    const now = nowOf(ctx)
    await recordSignIn(tx, user.userKey, now)
    const { token, expiresAt } = await openStageSession(tx, user.userKey, stage, now, { ip: ctx.ip, userAgent: ctx.userAgent })
    const actorCtx: Ctx = { ...ctx, actor: { type: 'user', userKey: user.userKey, label: user.label } }
    await audit(tx, actorCtx, { action: 'auth.signed_in', target: { type: 'user', key: user.userKey, label: user.label }, details: { stage: stage.code } })
    return { userKey: user.userKey, sessionToken: token, expiresAt }
  })
}
