import 'server-only'
import { cookies, headers } from 'next/headers'
import { cache } from 'react'
import { getDb } from '@/db/client'
import { resolveStageSession } from '../auth/stage-sessions'
import { now } from '../clock'
import type { Ctx } from '../context'
import { env } from '../env'
import { clientMeta } from '../request-meta'
import type { HostedStage } from './stage'

// Each stage has its own session cookie, sent only to that stage's pages: a stage session never
// reaches the portal, and the portal's session never reaches a stage (a member who is also an
// end-user holds one of each).
export const stageCookieName = (stage: Pick<HostedStage, 'code'>) => `gatehouse-stage-${stage.code.toLowerCase()}`
const stagePath = (stage: Pick<HostedStage, 'code'>) => `/s/${stage.code}`

export type StageCtx = Ctx & { stageKey: string }

/** The request's context on a stage's hosted pages: the end-user signed in to this stage, if any. */
export function getStageRequestContext(stage: Pick<HostedStage, 'key' | 'code'>): Promise<StageCtx> {
  return stageContext(stage.key, stage.code)
}

// Cached per request by primitive arguments (React's cache compares them by identity).
const stageContext = cache(async (key: string, code: string): Promise<StageCtx> => {
  const stage = { key, code }
  const meta = clientMeta(await headers())
  const token = (await cookies()).get(stageCookieName(stage))?.value
  const base = { ...meta, stageKey: stage.key }
  if (!token || token.length > 100) return { actor: null, ...base }
  const live = await resolveStageSession(await getDb(), token, stage.key, now())
  if (!live) return { actor: null, ...base }
  return { actor: { type: 'user', userKey: live.userKey, label: live.email ?? live.name, sessionIdHash: live.idHash }, ...base }
})

/** For server actions: stores a new stage session's token (the cookie lives as long as the session may). */
export async function setStageCookie(stage: Pick<HostedStage, 'code'>, token: string, expiresAt: Date): Promise<void> {
  ;(await cookies()).set(stageCookieName(stage), token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: env().APP_URL.startsWith('https:'),
    path: stagePath(stage),
    expires: expiresAt,
  })
}

export async function clearStageCookie(stage: Pick<HostedStage, 'code'>): Promise<void> {
  ;(await cookies()).set(stageCookieName(stage), '', { httpOnly: true, sameSite: 'lax', path: stagePath(stage), maxAge: 0 })
}
