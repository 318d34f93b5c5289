import 'server-only'
import { headers } from 'next/headers'
import { redirect } from 'next/navigation'
import { cache } from 'react'
import { getDb } from '@/db/client'
import { resolvePortalSession } from './auth/sessions'
import { auth } from './auth/next-auth'
import { now } from './clock'
import type { Ctx } from './context'
import { clientMeta } from './request-meta'
import { isSetUp } from './setup/organization'

/**
 * The context of the current request: who is signed in (checked against the sessions table every
 * time), and from where. Cached per request, so a page and its actions resolve it once.
 */
export const getRequestContext = cache(async (): Promise<Ctx> => {
  const meta = clientMeta(await headers())
  const session = (await auth()) as { sid?: string } | null
  if (!session?.sid) return { actor: null, ...meta }
  const live = await resolvePortalSession(await getDb(), session.sid, now())
  if (!live) return { actor: null, ...meta }
  return { actor: { type: 'user', userKey: live.userKey, label: live.email ?? live.name, sessionIdHash: live.idHash }, ...meta }
})

/** For portal pages: the signed-in member's context, or a redirect to setup or sign-in. */
export async function requireMemberContext(): Promise<Ctx> {
  const ctx = await getRequestContext()
  if (ctx.actor) return ctx
  if (!(await isSetUp())) redirect('/setup')
  redirect('/sign-in')
}
