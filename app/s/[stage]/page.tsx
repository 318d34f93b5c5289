import { redirect } from 'next/navigation'
import { getStageRequestContext } from '@/lib/hosted/request'
import { hostedStageOf, stagePath } from './hosted-stage'

// A stage's address on its own: the account of whoever is signed in to it, else the sign-in page.
export default async function HostedStagePage({ params }: { params: Promise<{ stage: string }> }) {
  const stage = await hostedStageOf(params)
  const ctx = await getStageRequestContext(stage)
  redirect(stagePath(stage, ctx.actor ? 'account' : 'sign-in'))
}
