import { beforeAll, describe, expect, it, vi } from 'vitest'
import { apiClientPermissions, apiClients, apiClientSecrets, auditEvents } from '@/db/schema'
import { getDb } from '@/db/client'
import { authenticateClientSecret } from '@/lib/api-clients/authenticate'
import { createApiClient } from '@/lib/api-clients/create-api-client'
import type { Ctx } from '@/lib/context'
import { createMember, rowCounts, stageKeyOf } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { current, form, redirected } from '@/test/next-stubs'
import { itRefusesEach } from '@/test/action-cases'

// Server actions are public POST endpoints: whatever a client sends, the answer is a form result and
// nothing changes; the secret comes back only in the answer to the action that made it.
vi.mock('@/lib/request', () => import('@/test/next-stubs').then((m) => m.request))
vi.mock('next/cache', () => import('@/test/next-stubs').then((m) => m.cache))
vi.mock('next/navigation', () => import('@/test/next-stubs').then((m) => m.navigation))

const actions = await import('./actions')

const snapshot = () => rowCounts({ apiClients, apiClientSecrets, apiClientPermissions, auditEvents })
const missing = '00000000-0000-4000-8000-000000000000'

describe('API client server actions', () => {
  useTestDatabase()
  let admin: Ctx
  let developer: Ctx
  let clientKey: string

  beforeAll(async () => {
    ;({ admin } = await setupOrganization())
    developer = (await createMember(admin)).ctx()
    clientKey = (await createApiClient(admin, { name: 'Target' })).clientKey
  })

  it('creates a client and answers with its secret instead of redirecting (no secret in any URL)', async () => {
    current.ctx = admin
    const qa = await stageKeyOf('QA')
    const result = await actions.createApiClientAction(null, form({ name: 'From the form', description: 'd', expiresOn: '', remind: 'false', permissions: JSON.stringify([{ slug: 'endusers.view', stageKeys: [qa] }]) }))
    expect(result).toMatchObject({ ok: true, data: { clientKey: expect.any(String), clientId: expect.stringMatching(/^[0-9a-f]{32}$/), clientSecret: expect.any(String), expiresAt: expect.any(String) } })
    const data = result.ok ? result.data! : undefined
    expect(await authenticateClientSecret(await getDb(), data!.clientId, data!.clientSecret, new Date())).toMatchObject({ name: 'From the form' })
  })

  it('rotates from the form with an overlap and answers with the new secret', async () => {
    current.ctx = admin
    const result = await actions.rotateApiClientSecretAction(null, form({ clientKey, expiresOn: '', remind: 'true', overlapHours: '48' }))
    expect(result).toMatchObject({ ok: true, data: { clientKey, clientSecret: expect.any(String) } })
  })

  it('saves details and permissions, suspends, resumes and deletes, each back to its tab', async () => {
    current.ctx = admin
    const { clientKey: key } = await createApiClient(admin, { name: 'Lifecycle' })
    expect(await redirected(actions.updateApiClientAction(null, form({ clientKey: key, name: 'Lifecycle 2', description: '', version: '1' })))).toBe(`/api-clients/${key}?tab=details&notice=saved`)
    expect(await redirected(actions.setApiClientPermissionsAction(null, form({ clientKey: key, version: '2', permissions: JSON.stringify([{ slug: 'users.manage', stageKeys: null }]) })))).toBe(
      `/api-clients/${key}?tab=permissions&notice=permissions-saved`,
    )
    expect(await redirected(actions.suspendApiClientAction(null, form({ clientKey: key })))).toBe(`/api-clients/${key}?tab=details&notice=suspended`)
    expect(await redirected(actions.resumeApiClientAction(null, form({ clientKey: key })))).toBe(`/api-clients/${key}?tab=details&notice=resumed`)
    expect(await redirected(actions.deleteApiClientAction(null, form({ clientKey: key })))).toBe('/api-clients?notice=deleted')
  })

  const bad: Array<[keyof typeof actions, Record<string, string | Blob | string[]>]> = [
    ['createApiClientAction', { name: '' }],
    ['createApiClientAction', { name: 'x', expiresOn: '2020-01-01' }],
    ['createApiClientAction', { name: 'x', permissions: 'not json' }],
    ['createApiClientAction', { name: 'x', permissions: JSON.stringify([{ slug: 'users.manage', stageKeys: [missing] }]) }],
    ['createApiClientAction', { name: new Blob(['x']) }],
    ['rotateApiClientSecretAction', { clientKey: missing }],
    ['rotateApiClientSecretAction', { clientKey: 'x', overlapHours: '500' }],
    ['updateApiClientAction', { clientKey: missing, name: 'n', version: '1' }],
    ['updateApiClientAction', { clientKey: 'nope', name: 'n', version: 'x' }],
    ['setApiClientPermissionsAction', { clientKey: missing, permissions: '[]' }],
    ['suspendApiClientAction', { clientKey: missing }],
    ['resumeApiClientAction', {}],
    ['deleteApiClientAction', { clientKey: missing }],
  ]

  itRefusesEach(actions, bad, { asAdmin: () => void (current.ctx = admin), snapshot })

  it('refuses members without the permission and signed-out callers as form results', async () => {
    for (const ctx of [developer, { actor: null }] as Ctx[]) {
      current.ctx = ctx
      const before = await snapshot()
      expect(await actions.createApiClientAction(null, form({ name: 'Nope' }))).toMatchObject({ ok: false })
      expect(await actions.rotateApiClientSecretAction(null, form({ clientKey }))).toMatchObject({ ok: false })
      expect(await actions.deleteApiClientAction(null, form({ clientKey }))).toMatchObject({ ok: false })
      expect(await snapshot()).toEqual(before)
    }
  })
})
