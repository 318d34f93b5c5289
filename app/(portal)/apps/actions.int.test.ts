import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { getDb } from '@/db/client'
import { appRoleInstances, appRoles, apps, auditEvents } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { createApp as insertApp, createAppRole as insertAppRole } from '@/test/access-factories'
import { createMember, rowCounts, stageKeyOf } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { current, form } from '@/test/next-stubs'

// Server actions are public POST endpoints: whatever a client sends, the answer is a form result
// (never a thrown error) and nothing changes. Next's request context, redirects and cache are
// replaced so the actions run in-process.
vi.mock('@/lib/request', () => import('@/test/next-stubs').then((m) => m.request))
vi.mock('next/cache', () => import('@/test/next-stubs').then((m) => m.cache))
vi.mock('next/navigation', () => import('@/test/next-stubs').then((m) => m.navigation))

const actions = await import('./actions')

const snapshot = () => rowCounts({ apps, roles: appRoles, instances: appRoleInstances, audit: auditEvents })

const missingUuid = '00000000-0000-4000-8000-000000000000'

describe('app server actions', () => {
  useTestDatabase()
  let admin: Ctx
  let stages: string[]

  beforeAll(async () => {
    admin = (await setupOrganization()).admin
    stages = [await stageKeyOf('DEV'), await stageKeyOf('QA'), await stageKeyOf('PRD')]
    current.ctx = admin
  })

  it('creates an app from ticked stage checkboxes and opens it on the roles tab', async () => {
    const error = await actions.createAppAction(null, form({ name: 'From a form', description: '', stageKeys: [stages[0], stages[2]] })).catch((e) => e)
    expect(error.url).toMatch(/^\/apps\/[0-9a-f-]{36}\?tab=roles&notice=created$/)
    const db = await getDb()
    const [row] = await db.select().from(apps).where(eq(apps.name, 'From a form'))
    expect(row).toBeDefined()
  })

  const badCreates: Array<[string, Record<string, string | string[] | Blob>, string]> = [
    ['no name', { name: '' }, 'name'],
    ['no stage ticked', { name: 'No stage' }, 'stageKeys'],
    ['a forged stage', { name: 'Forged', stageKeys: missingUuid }, 'stageKeys'],
    ['a file as the name', { name: new Blob(['x']), stageKeys: [] }, 'name'],
  ]
  for (const [label, values, field] of badCreates) {
    it(`createAppAction refuses ${label} with a field error and changes nothing`, async () => {
      const before = await snapshot()
      const result = await actions.createAppAction(null, form(values))
      expect(result).toMatchObject({ ok: false, fieldErrors: { [field]: expect.any(Array) } })
      expect(await snapshot()).toEqual(before)
    })
  }

  it('refuses a role with a bad claim name, and a stale app edit, as form results', async () => {
    const app = await insertApp('Form target')
    const before = await snapshot()
    expect(await actions.createAppRoleAction(null, form({ appKey: app.key, name: 'Role', claimName: 'no spaces please' }))).toMatchObject({ ok: false, fieldErrors: { claimName: expect.any(Array) } })
    expect(await actions.updateAppAction(null, form({ appKey: app.key, version: '9', name: 'Stale', stageKeys: stages }))).toMatchObject({ ok: false, error: expect.stringMatching(/changed by someone else/) })
    expect(await actions.deleteAppRoleAction(null, form({ roleKey: 'nope' }))).toMatchObject({ ok: false })
    expect(await snapshot()).toEqual(before)
  })

  it('previews and deletes a role, then returns to the roles tab', async () => {
    const app = await insertApp('Role target')
    const role = await insertAppRole(app.key, 'Temp')
    expect(await actions.previewAppRoleDeletionAction(role.key)).toMatchObject({ ok: true, data: { users: 0, groups: 0 } })
    const redirect = await actions.deleteAppRoleAction(null, form({ roleKey: role.key, version: '1', appKey: app.key })).catch((e) => e)
    expect(redirect.url).toBe(`/apps/${app.key}?tab=roles&notice=role-deleted`)
  })

  it('refuses everything to a signed-out caller, and deletion to a Developer', async () => {
    const app = await insertApp('Guarded')
    const developer = await createMember(admin)
    const before = await snapshot()
    for (const ctx of [{ actor: null } as Ctx, developer.ctx()]) {
      current.ctx = ctx
      expect(await actions.deleteAppAction(null, form({ appKey: app.key }))).toMatchObject({ ok: false })
      expect(await actions.previewAppDeletionAction(app.key)).toMatchObject({ ok: false })
    }
    current.ctx = { actor: null }
    expect(await actions.createAppAction(null, form({ name: 'Anon', stageKeys: stages }))).toMatchObject({ ok: false })
    expect(await actions.previewAppStagesAction(app.key, stages)).toMatchObject({ ok: false })
    current.ctx = admin
    expect(await snapshot()).toEqual(before)
  })
})
