import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { groups } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { ConflictError, ForbiddenError, UnauthenticatedError, ValidationError } from '@/lib/errors'
import { qaGroupManager } from '@/test/access-factories'
import { auditRows, createMember, stageKeyOf, type Member } from '@/test/factories'
import { anonymous, setupOrganization, useTestDatabase } from '@/test/harness'
import { createGroup } from './create-group'

async function groupCount() {
  const db = await getDb()
  return (await db.select({ key: groups.key }).from(groups)).length
}

describe('creating an end-user group (GRP-1)', () => {
  useTestDatabase()
  let admin: Ctx
  let developer: Member
  let qaManager: Member
  const stage: Record<string, string> = {}

  beforeAll(async () => {
    ;({ admin } = await setupOrganization())
    developer = await createMember(admin)
    qaManager = await qaGroupManager(admin)
    for (const code of ['DEV', 'QA', 'PRD']) stage[code] = await stageKeyOf(code)
  })

  it('creates a group in its stage and audits it', async () => {
    const { groupKey } = await createGroup(admin, { name: '  Order approvers ', description: 'Approve orders', stageKey: stage.PRD })
    const db = await getDb()
    const [row] = await db.select().from(groups).where(eq(groups.key, groupKey))
    expect(row).toMatchObject({ name: 'Order approvers', description: 'Approve orders', stageKey: stage.PRD, version: 1 })
    const [event] = await auditRows('group.created', groupKey)
    expect(event).toMatchObject({ targetType: 'group', targetLabel: 'Order approvers', changes: { after: { name: 'Order approvers', stage: 'PRD' } } })
  })

  it('keeps names unique per stage, case-insensitively, but allows the same name in another stage', async () => {
    await createGroup(admin, { name: 'Support', stageKey: stage.DEV })
    const before = await groupCount()
    const error = await createGroup(admin, { name: 'SUPPORT', stageKey: stage.DEV }).catch((e) => e)
    expect(error).toBeInstanceOf(ConflictError)
    expect(error.fieldErrors.name[0]).toMatch(/already exists in DEV/)
    expect(await groupCount()).toBe(before)
    await createGroup(admin, { name: 'Support', stageKey: stage.QA })
    expect(await groupCount()).toBe(before + 1)
  })

  it('lets a role limited to QA create groups in QA but not in PRD', async () => {
    const { groupKey } = await createGroup(qaManager.ctx(), { name: 'QA testers', stageKey: stage.QA })
    expect(await auditRows('group.created', groupKey)).toHaveLength(1)
    const before = await groupCount()
    await expect(createGroup(qaManager.ctx(), { name: 'Prod testers', stageKey: stage.PRD })).rejects.toBeInstanceOf(ForbiddenError)
    expect(await groupCount()).toBe(before)
  })

  it('refuses the built-in Developer, which may only view end-users in DEV, and signed-out callers', async () => {
    const before = await groupCount()
    const error = await createGroup(developer.ctx(), { name: 'Dev group', stageKey: stage.DEV }).catch((e) => e)
    expect(error).toBeInstanceOf(ForbiddenError)
    expect(error.reason).toMatch(/Manage end-user groups/)
    await expect(createGroup(anonymous(), { name: 'Anon', stageKey: stage.DEV })).rejects.toBeInstanceOf(UnauthenticatedError)
    expect(await groupCount()).toBe(before)
  })

  it('refuses bad input with field errors and changes nothing', async () => {
    const before = await groupCount()
    const cases: Array<[unknown, string]> = [
      [{ name: '', stageKey: stage.DEV }, 'name'],
      [{ name: 'x'.repeat(101), stageKey: stage.DEV }, 'name'],
      [{ name: 'Fine', stageKey: '' }, 'stageKey'],
      [{ name: 'Fine', stageKey: 'not-a-key' }, 'stageKey'],
      [{ name: 'Fine', stageKey: stage.DEV, description: 'd'.repeat(501) }, 'description'],
      [{ name: 'Fine', stageKey: stage.DEV, admin: true }, 'form'],
      [{ name: 'Fine', stageKey: '00000000-0000-4000-8000-000000000000' }, 'stageKey'],
    ]
    for (const [input, field] of cases) {
      const error = await createGroup(admin, input).catch((e) => e)
      expect(error, JSON.stringify(input)).toBeInstanceOf(ValidationError)
      expect(Object.keys(error.fieldErrors)).toContain(field)
    }
    expect(await groupCount()).toBe(before)
  })
})
