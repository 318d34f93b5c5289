import { beforeAll, describe, expect, it } from 'vitest'
import type { Ctx } from '@/lib/context'
import { ForbiddenError, UnauthenticatedError } from '@/lib/errors'
import { createApp, createAppRole, createGroup, qaGroupManager } from '@/test/access-factories'
import { createMember, createRole, insertUsers, type Member } from '@/test/factories'
import { anonymous, setupOrganization, useTestDatabase } from '@/test/harness'
import { listGroups } from './list-groups'

describe('the groups list (UI-7)', () => {
  useTestDatabase()
  let admin: Ctx
  let developer: Member
  let qaManager: Member
  let auditor: Member

  beforeAll(async () => {
    ;({ admin } = await setupOrganization())
    developer = await createMember(admin)
    qaManager = await qaGroupManager(admin)
    await createRole('Auditor', [{ slug: 'org.view_audit' }])
    auditor = await createMember(admin, { role: 'Auditor' })
    const role = await createAppRole((await createApp('Orders')).key, 'Viewer')
    const other = await createAppRole((await createApp('Billing')).key, 'Clerk')
    const users = await insertUsers([{ name: 'A' }, { name: 'B' }, { name: 'C' }])
    await createGroup('Dev readers', 'DEV', { instanceKeys: [role.instances.get('DEV')!, other.instances.get('DEV')!], userKeys: users })
    await createGroup('QA readers', 'QA', { userKeys: [users[0]] })
    await createGroup('Prod readers', 'PRD', { instanceKeys: [role.instances.get('PRD')!] })
    await createGroup('100% real_group', 'PRD')
  })

  it('shows every stage to an administrator, by name, with role and user counts', async () => {
    const page = await listGroups(admin, {})
    expect(page.rows.map((r) => [r.name, r.stageCode, r.roles, r.users])).toEqual([
      ['100% real_group', 'PRD', 0, 0],
      ['Dev readers', 'DEV', 2, 3],
      ['Prod readers', 'PRD', 1, 0],
      ['QA readers', 'QA', 0, 1],
    ])
    expect(page.total).toBe(4)
    expect(page.stages.map((s) => s.code)).toEqual(['DEV', 'QA', 'PRD'])
    expect(page.manageStages.map((s) => s.code)).toEqual(['DEV', 'QA', 'PRD'])
  })

  it('filters by stage code and searches names, escaping wildcards', async () => {
    expect((await listGroups(admin, { stage: 'prd' })).rows.map((r) => r.name)).toEqual(['100% real_group', 'Prod readers'])
    expect((await listGroups(admin, { q: 'READERS', stage: 'QA' })).rows.map((r) => r.name)).toEqual(['QA readers'])
    expect((await listGroups(admin, { q: '0%' })).rows.map((r) => r.name)).toEqual(['100% real_group'])
    expect((await listGroups(admin, { q: 'l_g' })).rows.map((r) => r.name)).toEqual(['100% real_group'])
    expect((await listGroups(admin, { q: 'x%' })).rows).toEqual([])
    expect(await listGroups(admin, { stage: 'NOPE' })).toMatchObject({ rows: [], total: 0 })
  })

  it('shows a Developer only DEV groups (endusers.view limited to DEV), and nothing to create', async () => {
    const page = await listGroups(developer.ctx(), {})
    expect(page.rows.map((r) => r.name)).toEqual(['Dev readers'])
    expect(page.stages.map((s) => s.code)).toEqual(['DEV'])
    expect(page.manageStages).toEqual([])
    expect((await listGroups(developer.ctx(), { stage: 'PRD' })).rows).toEqual([])
  })

  it('shows a QA-limited manager only QA groups, and lets them create there', async () => {
    const page = await listGroups(qaManager.ctx(), {})
    expect(page.rows.map((r) => r.name)).toEqual(['QA readers'])
    expect(page.manageStages.map((s) => s.code)).toEqual(['QA'])
  })

  it('refuses members without endusers.view anywhere, and signed-out callers', async () => {
    await expect(listGroups(auditor.ctx(), {})).rejects.toBeInstanceOf(ForbiddenError)
    await expect(listGroups(anonymous(), {})).rejects.toBeInstanceOf(UnauthenticatedError)
  })

  it('pages by name in both directions; a mangled cursor restarts at the first page', async () => {
    for (let i = 0; i < 12; i++) await createGroup(`Paged ${String(i).padStart(2, '0')}`, 'QA')
    const first = await listGroups(admin, { q: 'paged', perPage: 10 })
    expect(first.rows).toHaveLength(10)
    expect(first.total).toBe(12)
    const second = await listGroups(admin, { q: 'paged', perPage: 10, after: first.next! })
    expect(second.rows.map((r) => r.name)).toEqual(['Paged 10', 'Paged 11'])
    expect(second.next).toBeNull()
    const back = await listGroups(admin, { q: 'paged', perPage: 10, before: second.previous! })
    expect(back.rows.map((r) => r.name)).toEqual(first.rows.map((r) => r.name))
    expect(back.previous).toBeNull()
    expect((await listGroups(admin, { q: 'paged', perPage: 10, after: 'garbage' })).rows[0].name).toBe('Paged 00')
  })
})
