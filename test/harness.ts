import { afterAll, beforeAll, inject } from 'vitest'
import { closeDatabase, installDatabase, type Database } from '@/db/client'
import { createTestDatabase } from '@/db/testing'
import type { Ctx } from '@/lib/context'
import { runSetup } from '@/lib/setup/run-setup'

export const ADMIN = { organizationName: 'Acme', name: 'Ada Admin', email: 'ada@acme.test', password: 'Correct-Horse-42' }

/** A fresh migrated database for this test file, installed as the process's database. */
export function useTestDatabase(): { current: () => Database } {
  let database: Database | undefined
  beforeAll(async () => {
    // A copy of the run's migrated template (test/global-setup.ts).
    database = await createTestDatabase(inject('testTemplate') ?? {})
    installDatabase(database)
  })
  afterAll(async () => {
    await closeDatabase()
  })
  return { current: () => database! }
}

export const asUser = (userKey: string, label = 'test'): Ctx => ({ actor: { type: 'user', userKey, label }, ip: '127.0.0.1', userAgent: 'vitest' })

export const anonymous = (): Ctx => ({ actor: null, ip: '127.0.0.1', userAgent: 'vitest' })

export async function setupOrganization() {
  const result = await runSetup(anonymous(), ADMIN)
  return { ...result, admin: asUser(result.userKey, ADMIN.email) }
}

let counter = 0
export const uniqueEmail = (prefix = 'user') => `${prefix}.${Date.now().toString(36)}.${++counter}@example.test`
