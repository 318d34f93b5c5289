import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { auditEvents, organizations } from '@/db/schema'
import { setRoleGrant } from '@/lib/access/grants'
import { insertApiClient, tokenFor } from '@/lib/api/testing'
import { createApp, createAppRole, createGroup } from '@/test/access-factories'
import { expectGatehouseConforms } from '@/test/contract'
import { createMember, createRole, insertUsers, roleKeyOf, rowCounts } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { POST } from './route'

const URL_ = 'http://localhost:3000/api/gatehouse/v1/access/check'
const UNKNOWN = '00000000-0000-4000-8000-000000000000'
type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

async function check(token: string | null, body: unknown) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }
  const response = await POST(new Request(URL_, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) }), { params: Promise.resolve({}) })
  const status = response.status
  return { status, body: (await expectGatehouseConforms('Access_CheckAccess', response)) as Json }
}

describe('POST /api/gatehouse/v1/access/check', () => {
  useTestDatabase()
  let manager: string
  let qaViewer: string
  let outsider: string
  let app: { key: string; stages: Map<string, string> }
  let member: { userKey: string; email: string }
  let endUser: string
  let clerk: { key: string; instances: Map<string, string> }

  beforeAll(async () => {
    const org = await setupOrganization()
    await (await getDb()).update(organizations).set({ apiRateLimit: 100_000 })
    manager = await tokenFor(await insertApiClient({ permissions: [{ slug: 'users.manage' }] }))
    qaViewer = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.view', stages: ['QA'] }] }))
    outsider = await tokenFor(await insertApiClient({ permissions: [{ slug: 'org.view_audit' }] }))
    app = await createApp('Payroll')
    await createRole('QA deployer', [{ slug: 'release.deploy', stages: ['QA'] }, { slug: 'asset.change' }])
    const m = await createMember(org.admin, { email: 'quinn@example.test' })
    member = m
    await setRoleGrant(org.admin, { userKey: m.userKey, roleKey: '' })
    await setRoleGrant(org.admin, { userKey: m.userKey, appKey: app.key, roleKey: await roleKeyOf('QA deployer') })
    clerk = await createAppRole(app.key, 'Clerk')
    ;[endUser] = await insertUsers([{ name: 'Ed User', email: 'ed@example.test' }])
    await createGroup('Payroll clerks', 'PRD', { instanceKeys: [clerk.instances.get('PRD')!], userKeys: [endUser] })
  })

  it('allows a permission with the role, scope and inheritance that grant it', async () => {
    const { status, body } = await check(manager, { userKey: member.userKey, permission: 'asset.open', appKey: app.key })
    expect(status).toBe(200)
    expect(body).toEqual({
      allowed: true,
      question: 'May quinn@example.test use “Asset management · Open” on Payroll?',
      reason: expect.stringMatching(/^Allowed: role “QA deployer” for app “Payroll” grants/),
      details: ['“QA deployer”, app role for Payroll, every stage (included in Change)'],
      user: { key: member.userKey, label: 'quinn@example.test' },
    })
  })

  it('denies with what came close: another stage, no stage named, nothing at organization level', async () => {
    const prd = await check(manager, { userKey: member.userKey, permission: 'release.deploy', appKey: app.key, stageKey: app.stages.get('PRD') })
    expect(prd.body).toMatchObject({ allowed: false, details: ['“QA deployer”, app role for Payroll: limited to other stages (QA)'] })
    expect(prd.body.reason).toMatch(/^Denied: .* only in QA, not in PRD\.$/)
    const qa = await check(manager, { userKey: member.userKey, permission: 'release.deploy', appKey: app.key, stageKey: app.stages.get('QA'), appRoleKey: null })
    expect(qa.body.allowed).toBe(true)
    const noStage = await check(manager, { userKey: member.userKey, permission: 'release.deploy', appKey: app.key })
    expect(noStage.body).toMatchObject({ allowed: false, reason: expect.stringContaining('name a stage') })
    const org = await check(manager, { userKey: member.userKey, permission: 'asset.change' })
    expect(org.body).toMatchObject({ allowed: false, details: ['“QA deployer”, app role for Payroll: granted for another app'] })
  })

  it('answers end-user roles per stage, with the group that grants it', async () => {
    const yes = await check(manager, { userKey: endUser, appRoleKey: clerk.key, stageKey: app.stages.get('PRD') })
    expect(yes.body).toMatchObject({ allowed: true, details: ['Through group “Payroll clerks” (assigned)'], reason: expect.stringMatching(/^Allowed:/) })
    const no = await check(manager, { userKey: endUser, appRoleKey: clerk.key, stageKey: app.stages.get('QA') })
    expect(no.body).toMatchObject({ allowed: false, details: [], reason: expect.stringContaining('They hold it in PRD') })
  })

  it('refuses unclear questions (400) and changes nothing', async () => {
    const before = await rowCounts({ auditEvents })
    const cases: Array<[unknown, string]> = [
      [{ userKey: member.userKey }, 'permission'],
      [{ userKey: member.userKey, permission: 'asset.open', appRoleKey: clerk.key, stageKey: app.stages.get('PRD') }, 'permission'],
      [{ userKey: member.userKey, appRoleKey: clerk.key }, 'stageKey'],
      [{ userKey: member.userKey, appRoleKey: clerk.key, stageKey: app.stages.get('PRD'), appKey: app.key }, 'appKey'],
      [{ userKey: member.userKey, permission: 'nope.nope' }, 'permission'],
      [{ userKey: member.userKey, permission: 'asset.open', appKey: UNKNOWN }, 'appKey'],
      [{ userKey: member.userKey, permission: 'asset.open', stageKey: UNKNOWN }, 'stageKey'],
      [{ userKey: member.userKey, appRoleKey: UNKNOWN, stageKey: app.stages.get('PRD') }, 'appRoleKey'],
      [{ userKey: 'quinn@example.test', permission: 'asset.open' }, 'userKey'],
      [{ userKey: member.userKey, permission: 'asset.open', appKey: 'nope' }, 'appKey'],
      [{ userKey: member.userKey, permission: 'asset.open', extra: true }, 'form'],
      [{ permission: 'asset.open' }, 'userKey'],
    ]
    for (const [body, field] of cases) {
      const answer = await check(manager, body)
      expect(answer, JSON.stringify(body)).toMatchObject({ status: 400, body: { errorCode: 'GH-GH-VAL-40001' } })
      expect(Object.keys(answer.body.errors ?? {}), JSON.stringify(body)).toContain(field)
    }
    expect(await check(manager, '{not json')).toMatchObject({ status: 400 })
    expect(await rowCounts({ auditEvents })).toEqual(before)
  })

  it('answers only about users the caller may see: 404 alike for unknown and unseen users; 403 without any user permission; 401 without a token', async () => {
    expect(await check(manager, { userKey: UNKNOWN, permission: 'asset.open' })).toMatchObject({ status: 404, body: { errorCode: 'GH-GH-NF-40401' } })
    // View end-users in QA only: Ed holds roles in PRD only, Quinn is a member.
    expect(await check(qaViewer, { userKey: endUser, appRoleKey: clerk.key, stageKey: app.stages.get('PRD') })).toMatchObject({ status: 404 })
    expect(await check(qaViewer, { userKey: member.userKey, permission: 'asset.open' })).toMatchObject({ status: 404 })
    expect(await check(outsider, { userKey: member.userKey, permission: 'asset.open' })).toMatchObject({ status: 403, body: { errorCode: 'GH-GH-PERM-40301' } })
    expect(await check(null, { userKey: member.userKey, permission: 'asset.open' })).toMatchObject({ status: 401 })
  })
})
