import 'server-only'
import { eq, sql, type SQL } from 'drizzle-orm'
import { getDb, type Executor } from '@/db/client'
import { organizations, stages } from '@/db/schema'
import type { PasswordPolicyMode } from '../auth/password-policy'

export type HostedStage = {
  key: string
  code: string
  name: string
  organization: string
  passwordPolicy: PasswordPolicyMode
  selfRegistrationEnabled: boolean
  selfRegistrationDomains: string[]
  sessionMaxMinutes: number
  sessionIdleMinutes: number
}

/** A stage with what every hosted page shows (the organization's name) and needs (its settings). */
export function selectHostedStage(db: Executor, where: SQL) {
  return db
    .select({
      key: stages.key,
      code: stages.code,
      name: stages.name,
      organization: organizations.name,
      passwordPolicy: sql<PasswordPolicyMode>`${organizations.passwordPolicy}`,
      selfRegistrationEnabled: stages.selfRegistrationEnabled,
      selfRegistrationDomains: stages.selfRegistrationDomains,
      sessionMaxMinutes: stages.sessionMaxMinutes,
      sessionIdleMinutes: stages.sessionIdleMinutes,
    })
    .from(stages)
    .innerJoin(organizations, sql`true`)
    .where(where)
}

/**
 * The stage behind a hosted page's URL (HOST-1), matched on its code ignoring case. Public, like
 * the pages. Use cases read the stage on their own transaction instead (stage-row.ts).
 */
export async function findHostedStage(code: string): Promise<HostedStage | null> {
  if (typeof code !== 'string' || !/^[A-Za-z0-9_-]{1,20}$/.test(code)) return null
  const [row] = await selectHostedStage(await getDb(), eq(sql`upper(${stages.code})`, code.toUpperCase()))
  return row ?? null
}
