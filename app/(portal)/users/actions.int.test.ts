import { beforeAll, describe, expect, it, vi } from 'vitest'
import { auditEvents, roleAssignments, users } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { createMember, roleKeyOf, rowCounts } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { current, form } from '@/test/next-stubs'

// Server actions are public POST endpoints: whatever a client sends, the answer is a form result
// (never a thrown error or a stack trace) and nothing changes. The request context, redirects and
// cache revalidation are Next's; they are replaced here so the actions run in-process.
vi.mock('@/lib/request', () => import('@/test/next-stubs').then((m) => m.request))
vi.mock('next/cache', () => import('@/test/next-stubs').then((m) => m.cache))
vi.mock('next/navigation', () => import('@/test/next-stubs').then((m) => m.navigation))

const actions = await import('./actions')

const snapshot = () => rowCounts({ users, audit: auditEvents, grants: roleAssignments })

const oversized = 'x'.repeat(5000)
const missingUuid = '00000000-0000-4000-8000-000000000000'

describe('user server actions with bad input', () => {
  useTestDatabase()
  let adminCtx: Ctx
  let memberKey: string
  let developerKey: string

  beforeAll(async () => {
    const { admin } = await setupOrganization()
    adminCtx = admin
    memberKey = (await createMember(admin)).userKey
    developerKey = await roleKeyOf('Developer')
    current.ctx = adminCtx
  })

  const userKeyActions = ['deactivateUserAction', 'activateUserAction', 'resendInvitationAction', 'revokeSessionsAction', 'unlockUserAction', 'deleteUserAction'] as const

  const badUserKeys: Array<[string, Record<string, string | Blob>]> = [
    ['missing', {}],
    ['not a uuid', { userKey: 'abc' }],
    ['oversized', { userKey: oversized }],
    ['a file instead of text', { userKey: new Blob(['x']) }],
    ['an unknown field', { userKey: missingUuid, admin: 'true' }],
    ['a forged key', { userKey: missingUuid }],
  ]

  for (const name of userKeyActions) {
    for (const [label, values] of badUserKeys) {
      it(`${name} refuses ${label} and changes nothing`, async () => {
        const before = await snapshot()
        const result = await actions[name](null, form(values))
        expect(result).toMatchObject({ ok: false, error: expect.any(String) })
        expect(JSON.stringify(result)).not.toMatch(/\bat .+\.(ts|js):\d+/)
        expect(await snapshot()).toEqual(before)
      })
    }
  }

  // Built lazily: the Developer role's key exists only once the organization is set up.
  const badInvites: Array<[string, (roleKey: string) => Record<string, string | Blob>, string]> = [
    ['no email', (roleKey) => ({ roleKey }), 'email'],
    ['a malformed email', (roleKey) => ({ email: 'not-an-email', roleKey }), 'email'],
    ['an oversized email', (roleKey) => ({ email: `${oversized}@example.com`, roleKey }), 'email'],
    ['an oversized name', (roleKey) => ({ email: 'a@example.com', name: oversized, roleKey }), 'name'],
    ['no role', () => ({ email: 'a@example.com', roleKey: '' }), 'roleKey'],
    ['a forged role', () => ({ email: 'a@example.com', roleKey: missingUuid }), 'roleKey'],
    ['an unknown field', (roleKey) => ({ email: 'a@example.com', roleKey, status: 'Active' }), 'form'],
  ]
  for (const [label, values, field] of badInvites) {
    it(`inviteUserAction refuses ${label} with a field error and changes nothing`, async () => {
      const before = await snapshot()
      const result = await actions.inviteUserAction(null, form(values(developerKey)))
      expect(result).toMatchObject({ ok: false, fieldErrors: { [field]: expect.any(Array) } })
      expect(await snapshot()).toEqual(before)
    })
  }

  it('setOrganizationRoleAction refuses a forged role and changing your own role', async () => {
    const before = await snapshot()
    expect(await actions.setOrganizationRoleAction(null, form({ userKey: memberKey, roleKey: missingUuid }))).toMatchObject({ ok: false, fieldErrors: { roleKey: expect.any(Array) } })
    const actor = adminCtx.actor
    const self = actor?.type === 'user' ? actor.userKey : ''
    expect(await actions.setOrganizationRoleAction(null, form({ userKey: self, roleKey: '' }))).toMatchObject({ ok: false, error: expect.stringMatching(/yourself/) })
    expect(await snapshot()).toEqual(before)
  })

  it('refuses every action to a signed-out caller and to a member without the permission', async () => {
    const before = await snapshot()
    const developer = await createMember(adminCtx, { role: 'Developer' })
    const afterSetup = await snapshot()
    for (const ctx of [{ actor: null } as Ctx, developer.ctx()]) {
      current.ctx = ctx
      for (const name of userKeyActions) expect(await actions[name](null, form({ userKey: memberKey }))).toMatchObject({ ok: false })
      expect(await actions.inviteUserAction(null, form({ email: 'b@example.com', roleKey: developerKey }))).toMatchObject({ ok: false })
      expect(await actions.setOrganizationRoleAction(null, form({ userKey: memberKey, roleKey: '' }))).toMatchObject({ ok: false })
    }
    current.ctx = adminCtx
    expect(afterSetup.users).toBe(before.users + 1)
    expect(await snapshot()).toEqual(afterSetup)
  })

  it('a valid action succeeds and redirects to the user page with a notice', async () => {
    await expect(actions.deactivateUserAction(null, form({ userKey: memberKey }))).rejects.toMatchObject({ url: `/users/${memberKey}?notice=deactivated` })
  })
})
