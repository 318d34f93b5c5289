import 'server-only'
import { eq, sql } from 'drizzle-orm'
import { getDb } from '@/db/client'
import { organizations, stages } from '@/db/schema'
import type { PasswordPolicyMode } from '../auth/password-policy'

export type HostedStage = {
  key: string
  code: string
  name: string
  organization: string
  passwordPolicy: PasswordPolicyMode
  selfRegistrationEnabled: boolean
  sessionMaxMinutes: number
  sessionIdleMinutes: number
}

/**
 * The stage behind a hosted page's URL (HOST-1), matched on its code ignoring case, with what every
 * hosted page shows: the organization's name and whether sign-up is open. Public, like the pages.
 */
export async function findHostedStage(code: string): Promise<HostedStage | null> {
  if (typeof code !== 'string' || !/^[A-Za-z0-9_-]{1,20}$/.test(code)) return null
  const db = await getDb()
  const [row] = await db
    .select({
      key: stages.key,
      code: stages.code,
      name: stages.name,
      organization: organizations.name,
      passwordPolicy: organizations.passwordPolicy,
      selfRegistrationEnabled: stages.selfRegistrationEnabled,
      sessionMaxMinutes: stages.sessionMaxMinutes,
      sessionIdleMinutes: stages.sessionIdleMinutes,
    })
    .from(stages)
    .innerJoin(organizations, sql`true`)
    .where(eq(sql`upper(${stages.code})`, code.toUpperCase()))
  return row ? { ...row, passwordPolicy: row.passwordPolicy as PasswordPolicyMode } : null
}
