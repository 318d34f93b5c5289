import { beforeAll, describe, expect, it, vi } from 'vitest'
import { auditEvents, roleAssignments, rolePermissions, roles } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { auditRows, createMember, createRole, roleKeyOf, rowCounts, stageKeyOf } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { current, form, redirected } from '@/test/next-stubs'

// Server actions are public POST endpoints: whatever a client sends, the answer is a form result
// (never a thrown error or a stack trace) and nothing changes. The request context, redirects and
// cache revalidation are Next's; they are replaced here so the actions run in-process.
vi.mock('@/lib/request', () => import('@/test/next-stubs').then((m) => m.request))
vi.mock('next/cache', () => import('@/test/next-stubs').then((m) => m.cache))
vi.mock('next/navigation', () => import('@/test/next-stubs').then((m) => m.navigation))

const actions = await import('./actions')

const snapshot = () => rowCounts({ roles, permissions: rolePermissions, grants: roleAssignments, audit: auditEvents })

const missingUuid = '00000000-0000-4000-8000-000000000000'

describe('role server actions', () => {
  useTestDatabase()
  let admin: Ctx
  let developer: Ctx
  let dev: string

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = org.admin
    developer = (await createMember(admin, { role: 'Developer' })).ctx()
    dev = await stageKeyOf('DEV')
    current.ctx = admin
  })

  it('creates a role from the editor form and opens it, ignoring the editor-only inputs', async () => {
    current.ctx = admin
    const url = await redirected(
      actions.createRoleAction(null, form({ name: 'QA deployers', description: '', permissions: JSON.stringify([{ slug: 'release.deploy', stageKeys: [dev] }]), 'stages-release.deploy-mode': 'on' })),
    )
    const key = await roleKeyOf('QA deployers')
    expect(url).toBe(`/roles/${key}?notice=created`)
    expect(await auditRows('role.created', key)).toHaveLength(1)
  })

  it('previews, saves and deletes through the actions', async () => {
    current.ctx = admin
    const roleKey = await roleKeyOf('QA deployers')
    const preview = await actions.previewRoleChangeAction(form({ roleKey, permissions: '[]' }))
    expect(preview).toMatchObject({ ok: true, data: { roleKey, lost: [expect.objectContaining({ slug: 'release.deploy', users: 0 })] } })
    expect(await redirected(actions.updateRoleAction(null, form({ roleKey, version: '1', name: 'QA deployers', description: 'x', permissions: '[]' })))).toBe(`/roles/${roleKey}?notice=saved`)
    const stale = await actions.updateRoleAction(null, form({ roleKey, version: '1', name: 'QA deployers', description: 'y', permissions: '[]' }))
    expect(stale).toMatchObject({ ok: false, error: expect.stringMatching(/changed by someone else/) })
    expect(await redirected(actions.deleteRoleAction(null, form({ roleKey, version: '2' })))).toBe('/roles?notice=deleted')
  })

  it('duplicates a built-in role and opens the copy', async () => {
    current.ctx = admin
    const url = await redirected(actions.duplicateRoleAction(null, form({ roleKey: await roleKeyOf('Administrator') })))
    expect(url).toBe(`/roles/${await roleKeyOf('Copy of Administrator')}?notice=duplicated`)
  })

  const badCreates: Array<[string, Record<string, string | Blob>, string]> = [
    ['no name', { name: '', permissions: '[]' }, 'name'],
    ['an oversized name', { name: 'x'.repeat(5000), permissions: '[]' }, 'name'],
    ['a taken name', { name: 'ADMINISTRATOR', permissions: '[]' }, 'name'],
    ['malformed permissions', { name: 'Broken', permissions: '{not json' }, 'permissions'],
    ['an unknown permission', { name: 'Broken', permissions: JSON.stringify([{ slug: 'root.everything' }]) }, 'permissions'],
    ['a file instead of text', { name: new Blob(['x']), permissions: '[]' }, 'name'],
  ]
  for (const [label, values, field] of badCreates) {
    it(`createRoleAction refuses ${label} with a field error and changes nothing`, async () => {
      current.ctx = admin
      const before = await snapshot()
      const result = await actions.createRoleAction(null, form(values))
      expect(result).toMatchObject({ ok: false, fieldErrors: { [field]: expect.any(Array) } })
      expect(JSON.stringify(result)).not.toMatch(/\bat .+\.(ts|js):\d+/)
      expect(await snapshot()).toEqual(before)
    })
  }

  it('refuses built-in roles, forged keys, signed-out callers and members without the permission', async () => {
    const administrator = await roleKeyOf('Administrator')
    const custom = await createRole('Untouchable', [{ slug: 'asset.open' }])
    const before = await snapshot()
    current.ctx = admin
    expect(await actions.deleteRoleAction(null, form({ roleKey: administrator }))).toMatchObject({ ok: false, error: expect.stringMatching(/built-in/) })
    expect(await actions.updateRoleAction(null, form({ roleKey: administrator, version: '1', name: 'Administrator', permissions: '[]' }))).toMatchObject({ ok: false })
    expect(await actions.deleteRoleAction(null, form({ roleKey: missingUuid }))).toMatchObject({ ok: false })
    expect(await actions.duplicateRoleAction(null, form({ roleKey: 'abc' }))).toMatchObject({ ok: false })
    for (const ctx of [{ actor: null } as Ctx, developer]) {
      current.ctx = ctx
      expect(await actions.createRoleAction(null, form({ name: 'Nope', permissions: '[]' }))).toMatchObject({ ok: false })
      expect(await actions.updateRoleAction(null, form({ roleKey: custom, version: '1', name: 'Nope', permissions: '[]' }))).toMatchObject({ ok: false })
      expect(await actions.previewRoleChangeAction(form({ roleKey: custom, permissions: '[]' }))).toMatchObject({ ok: false })
      expect(await actions.duplicateRoleAction(null, form({ roleKey: custom }))).toMatchObject({ ok: false })
      expect(await actions.deleteRoleAction(null, form({ roleKey: custom }))).toMatchObject({ ok: false })
    }
    expect(await snapshot()).toEqual(before)
  })
})
