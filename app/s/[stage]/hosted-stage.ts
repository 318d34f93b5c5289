import 'server-only'
import { notFound } from 'next/navigation'
import { findHostedStage, type HostedStage } from '@/lib/hosted/stage'

/** The stage of a hosted page's URL, or the 404 page. URLs use the stage's code as stored (proxy.ts upper-cases it). */
export async function hostedStageOf(params: Promise<{ stage: string }>): Promise<HostedStage> {
  const stage = await findHostedStage((await params).stage)
  if (!stage) notFound()
  return stage
}

export const stagePath = (stage: Pick<HostedStage, 'code'>, page: string) => `/s/${stage.code}/${page}`

/** A search parameter as one bounded string (a repeated or oversized value is ignored). */
export function oneParam(value: string | string[] | undefined, max = 254): string | undefined {
  return typeof value === 'string' && value.length <= max ? value : undefined
}
