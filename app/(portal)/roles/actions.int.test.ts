import { count } from 'drizzle-orm'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { getDb } from '@/db/client'
import { auditEvents, roleAssignments, rolePermissions, roles } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { auditRows, createMember, createRole, roleKeyOf, stageKeyOf } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'

// Server actions are public POST endpoints: whatever a client sends, the answer is a form result
// (never a thrown error or a stack trace) and nothing changes. The request context, redirects and
// cache revalidation are Next's; they are replaced here so the actions run in-process.
const current: { ctx: Ctx } = { ctx: { actor: null } }
class Redirect extends Error {
  constructor(readonly url: string) {
    super(`redirect ${url}`)
  }
}
vi.mock('@/lib/request', () => ({ getRequestContext: async () => current.ctx }))
vi.mock('next/cache', () => ({ revalidatePath: () => {} }))
vi.mock('next/navigation', () => ({
  redirect: (url: string) => {
    throw new Redirect(url)
  },
  unstable_rethrow: (e: unknown) => {
    if (e instanceof Redirect) throw e
  },
}))

const actions = await import('./actions')

function form(values: Record<string, string | Blob>): FormData {
  const data = new FormData()
  for (const [k, v] of Object.entries(values)) data.append(k, v)
  return data
}

async function snapshot() {
  const db = await getDb()
  const [r] = await db.select({ n: count() }).from(roles)
  const [p] = await db.select({ n: count() }).from(rolePermissions)
  const [g] = await db.select({ n: count() }).from(roleAssignments)
  const [a] = await db.select({ n: count() }).from(auditEvents)
  return { roles: r.n, permissions: p.n, grants: g.n, audit: a.n }
}

async function redirected(p: Promise<unknown>): Promise<string> {
  const error = await p.then(
    (v) => v,
    (e) => e,
  )
  if (!(error instanceof Redirect)) throw new Error(`expected a redirect, got ${JSON.stringify(error)}`)
  return error.url
}

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
