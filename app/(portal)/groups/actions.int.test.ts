import { beforeAll, describe, expect, it, vi } from 'vitest'
import { auditEvents, groupMembers, groupRoles, groups } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { createApp, createAppRole, createGroup } from '@/test/access-factories'
import { createMember, rowCounts, stageKeyOf } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { current, form, Redirect } from '@/test/next-stubs'
import { itRefusesEach } from '@/test/action-cases'

// Server actions are public POST endpoints: whatever a client sends, the answer is a form result
// (never a thrown error or a stack trace) and nothing changes. Next's request context, redirects
// and cache are replaced so the actions run in-process.
vi.mock('@/lib/request', () => import('@/test/next-stubs').then((m) => m.request))
vi.mock('next/cache', () => import('@/test/next-stubs').then((m) => m.cache))
vi.mock('next/navigation', () => import('@/test/next-stubs').then((m) => m.navigation))

const actions = await import('./actions')

const snapshot = () => rowCounts({ groups, members: groupMembers, roles: groupRoles, audit: auditEvents })

const missing = '00000000-0000-4000-8000-000000000000'

describe('group server actions', () => {
  useTestDatabase()
  let admin: Ctx
  let developer: Ctx
  let groupKey: string
  let instance: string
  let devStage: string

  beforeAll(async () => {
    ;({ admin } = await setupOrganization())
    developer = (await createMember(admin)).ctx()
    devStage = await stageKeyOf('DEV')
    instance = (await createAppRole((await createApp('Orders')).key, 'Viewer')).instances.get('DEV')!
    groupKey = await createGroup('Target', 'DEV')
  })

  it('creates a group and redirects to it; saves roles from repeated checkbox fields', async () => {
    current.ctx = admin
    const created = await actions.createGroupAction(null, form({ name: 'From the form', description: '', stageKey: devStage })).catch((e) => e)
    expect(created).toBeInstanceOf(Redirect)
    expect(created.url).toMatch(/^\/groups\/[0-9a-f-]{36}\?notice=created$/)
    const saved = await actions.setGroupRolesAction(null, form({ groupKey, version: '1', instanceKeys: [instance] })).catch((e) => e)
    expect(saved).toBeInstanceOf(Redirect)
    expect(saved.url).toBe(`/groups/${groupKey}?tab=roles&notice=roles-saved`)
    const preview = await actions.previewGroupRolesAction(form({ groupKey }))
    expect(preview).toMatchObject({ ok: true, data: { removed: [expect.objectContaining({ roleName: 'Viewer', users: 0 })] } })
  })

  const bad: Array<[keyof typeof actions, Record<string, string | Blob | string[]>]> = [
    ['createGroupAction', { name: '', stageKey: missing }],
    ['createGroupAction', { name: new Blob(['x']), stageKey: 'nope' }],
    ['updateGroupAction', { groupKey: 'x', name: 'n', version: '1' }],
    ['updateGroupAction', { groupKey: missing, name: 'n', version: '1' }],
    ['setGroupRolesAction', { groupKey: missing, version: '1' }],
    ['setGroupRolesAction', { groupKey: missing, version: 'x', instanceKeys: ['nope', 'x'.repeat(5000)] }],
    ['addGroupMemberAction', { groupKey: missing, email: 'someone@example.test' }],
    ['addGroupMemberAction', { groupKey: missing, email: 'not an email', admin: 'true' }],
    ['removeGroupMemberAction', { groupKey: missing, userKey: missing }],
    ['deleteGroupAction', { groupKey: missing, version: '1' }],
    ['deleteGroupAction', {}],
  ]

  itRefusesEach(actions, bad, { asAdmin: () => void (current.ctx = admin), snapshot })

  it('refuses members without the permission and signed-out callers as form results', async () => {
    for (const ctx of [developer, { actor: null }] as Ctx[]) {
      current.ctx = ctx
      const before = await snapshot()
      expect(await actions.createGroupAction(null, form({ name: 'Nope', stageKey: devStage }))).toMatchObject({ ok: false })
      expect(await actions.deleteGroupAction(null, form({ groupKey, version: '2' }))).toMatchObject({ ok: false })
      expect(await snapshot()).toEqual(before)
    }
  })
})
