import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { groups } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '@/lib/errors'
import { createGroup, qaGroupManager } from '@/test/access-factories'
import { auditRows, createMember, type Member } from '@/test/factories'
import { anonymous, setupOrganization, useTestDatabase } from '@/test/harness'
import { updateGroup } from './update-group'

async function groupRow(key: string) {
  const db = await getDb()
  return (await db.select().from(groups).where(eq(groups.key, key)))[0]
}

describe('renaming and describing a group', () => {
  useTestDatabase()
  let admin: Ctx
  let developer: Member
  let qaManager: Member

  beforeAll(async () => {
    ;({ admin } = await setupOrganization())
    developer = await createMember(admin)
    qaManager = await qaGroupManager(admin)
  })

  it('saves the change, bumps the version and audits only what changed', async () => {
    const groupKey = await createGroup('Sales', 'DEV')
    const { version } = await updateGroup(admin, { groupKey, name: 'Sales team', description: '', version: '1' })
    expect(version).toBe(2)
    expect(await groupRow(groupKey)).toMatchObject({ name: 'Sales team', version: 2 })
    const [event] = await auditRows('group.updated', groupKey)
    expect(event.changes).toEqual({ before: { name: 'Sales' }, after: { name: 'Sales team' } })
    // Saving the same values again writes nothing.
    await updateGroup(admin, { groupKey, name: 'Sales team', description: '', version: 2 })
    expect(await auditRows('group.updated', groupKey)).toHaveLength(1)
  })

  it('refuses a stale version: the second of two editors is told to reload', async () => {
    const groupKey = await createGroup('Race', 'DEV')
    await updateGroup(admin, { groupKey, name: 'Race A', version: 1 })
    const error = await updateGroup(admin, { groupKey, name: 'Race B', version: 1 }).catch((e) => e)
    expect(error).toBeInstanceOf(ConflictError)
    expect(error.message).toMatch(/changed by someone else/)
    expect((await groupRow(groupKey)).name).toBe('Race A')
  })

  it('lets exactly one of two simultaneous editors of the same version win', async () => {
    const groupKey = await createGroup('Simultaneous', 'PRD')
    const results = await Promise.allSettled([
      updateGroup(admin, { groupKey, name: 'Edit one', version: 1 }),
      updateGroup(admin, { groupKey, name: 'Edit two', version: 1 }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const [lost] = results.filter((r) => r.status === 'rejected')
    expect(lost.reason).toBeInstanceOf(ConflictError)
    expect(await groupRow(groupKey)).toMatchObject({ version: 2 })
    expect(await auditRows('group.updated', groupKey)).toHaveLength(1)
  })

  it('keeps names unique within the stage only', async () => {
    await createGroup('Taken', 'QA')
    await createGroup('Taken', 'PRD')
    const groupKey = await createGroup('Free', 'QA')
    const error = await updateGroup(admin, { groupKey, name: 'taken', version: 1 }).catch((e) => e)
    expect(error).toBeInstanceOf(ConflictError)
    expect(error.fieldErrors.name[0]).toMatch(/already exists in QA/)
    expect(await groupRow(groupKey)).toMatchObject({ name: 'Free', version: 1 })
  })

  it('authorizes per stage: QA-limited role edits QA groups only; Developer and signed-out are refused', async () => {
    const qa = await createGroup('QA editable', 'QA')
    const prd = await createGroup('PRD locked', 'PRD')
    const dev = await createGroup('DEV locked', 'DEV')
    await updateGroup(qaManager.ctx(), { groupKey: qa, name: 'QA edited', version: 1 })
    await expect(updateGroup(qaManager.ctx(), { groupKey: prd, name: 'x', version: 1 })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(updateGroup(developer.ctx(), { groupKey: dev, name: 'x', version: 1 })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(updateGroup(anonymous(), { groupKey: dev, name: 'x', version: 1 })).rejects.toBeInstanceOf(UnauthenticatedError)
    await expect(updateGroup(admin, { groupKey: '00000000-0000-4000-8000-000000000000', name: 'x', version: 1 })).rejects.toBeInstanceOf(NotFoundError)
    expect((await groupRow(prd)).name).toBe('PRD locked')
    expect((await groupRow(dev)).name).toBe('DEV locked')
    expect(await auditRows('group.updated', prd)).toEqual([])
  })

  it('refuses bad input with field errors and changes nothing', async () => {
    const groupKey = await createGroup('Input', 'DEV')
    for (const [input, field] of [
      [{ groupKey, name: ' ', version: 1 }, 'name'],
      [{ groupKey, name: 'ok', version: 0 }, 'version'],
      [{ groupKey, name: 'ok', version: 1, stageKey: groupKey }, 'form'],
    ] as const) {
      const error = await updateGroup(admin, input).catch((e) => e)
      expect(error).toBeInstanceOf(ValidationError)
      expect(Object.keys(error.fieldErrors)).toContain(field)
    }
    expect(await groupRow(groupKey)).toMatchObject({ name: 'Input', version: 1 })
  })
})
