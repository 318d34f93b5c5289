import 'server-only'
import { eq } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { organizations, stages } from '@/db/schema'
import { env } from '../env'
import { NotFoundError } from '../errors'
import type { PasswordPolicyMode } from './password-policy'

// What the password flows (reset, change) need to know about where they happen: the organization's
// name and password policy, the stage whose hosted pages were used, and the links their emails carry.

const base = () => env().APP_URL.replace(/\/$/, '')

/** The portal's reset page, with the email filled in (AUTH-7). */
export const portalResetLink = (email: string) => `${base()}/forgot-password?email=${encodeURIComponent(email)}`

/** A stage's hosted reset page, with the email filled in (HOST-1). */
export const stageResetLink = (stageCode: string, email: string) => `${base()}/s/${encodeURIComponent(stageCode)}/forgot-password?email=${encodeURIComponent(email)}`

export type PasswordPlace = { org: string; policy: PasswordPolicyMode; stage: { key: string; code: string } | null }

/** The organization's name and policy, and the stage when `stageKey` names one (else NotFound). */
export async function loadPasswordPlace(tx: Tx, stageKey?: string | null): Promise<PasswordPlace> {
  const [org] = await tx.select({ name: organizations.name, passwordPolicy: organizations.passwordPolicy }).from(organizations).limit(1)
  let stage: PasswordPlace['stage'] = null
  if (stageKey) {
    ;[stage = null] = await tx.select({ key: stages.key, code: stages.code }).from(stages).where(eq(stages.key, stageKey))
    if (!stage) throw new NotFoundError('The stage')
  }
  return { org: org?.name ?? 'Gatehouse', policy: (org?.passwordPolicy ?? 'odc') as PasswordPolicyMode, stage }
}

/** Where the owner of `email` resets their password: members on the portal (one credential per person). */
export function resetLinkFor(place: Pick<PasswordPlace, 'stage'>, email: string, isMember: boolean): string {
  return place.stage && !isMember ? stageResetLink(place.stage.code, email) : portalResetLink(email)
}
