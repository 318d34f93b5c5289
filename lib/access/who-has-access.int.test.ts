import { beforeAll, describe, expect, it } from 'vitest'
import type { Ctx } from '@/lib/context'
import { ForbiddenError, UnauthenticatedError, ValidationError } from '@/lib/errors'
import { createApp, createAppRole, createGroup, grantAppRole } from '@/test/access-factories'
import { createMember, createRole, insertUsers, roleKeyOf } from '@/test/factories'
import { ADMIN, anonymous, asUser, setupOrganization, useTestDatabase } from '@/test/harness'
import { setRoleGrant } from './grants'
import { whoHasAccess } from './who-has-access'

describe('who has access to an app in a stage (AUTHZ-7)', () => {
  let admin: () => Ctx
  let app: { key: string; stages: Map<string, string> }
  let approver: { key: string; instances: Map<string, string> }
  let prd: string
  let dev: { userKey: string; email: string; ctx: () => Ctx }
  let users: string[]
  useTestDatabase()

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
    app = await createApp('Ledger')
    prd = app.stages.get('PRD')!
    approver = await createAppRole(app.key, 'Approver')
    const viewer = await createAppRole(app.key, 'Viewer')
    users = await insertUsers([{ name: 'Ann Direct' }, { name: 'Ben Group' }, { name: 'Cy Both' }, { name: 'Dee Elsewhere' }, { name: 'Eve Nothing' }])
    await grantAppRole(users[0], [approver.instances.get('PRD')!])
    await createGroup('Ledger PRD', 'PRD', { instanceKeys: [viewer.instances.get('PRD')!], userKeys: [users[1], users[2]] })
    await grantAppRole(users[2], [approver.instances.get('PRD')!])
    await grantAppRole(users[3], [approver.instances.get('QA')!])
    dev = await createMember(admin(), { name: 'Fay Developer' })
  })

  it('lists end-users with their roles and sources, and members whose roles reach the app, in name order', async () => {
    const page = await whoHasAccess(admin(), { appKey: app.key, stageKey: prd })
    expect(page.includesMembers).toBe(true)
    expect(page.rows.map((r) => [r.name, r.how])).toEqual([
      ['Ada Admin', ['Administrator · organization role']],
      ['Ann Direct', ['Approver · direct']],
      ['Ben Group', ['Viewer · group Ledger PRD']],
      ['Cy Both', ['Approver · direct', 'Viewer · group Ledger PRD']],
      ['Fay Developer', ['Developer · organization role']],
    ])
  })

  it('narrows to one application role, directly or through a group', async () => {
    const page = await whoHasAccess(admin(), { appKey: app.key, stageKey: prd, appRoleKey: approver.key })
    expect(page.includesMembers).toBe(false)
    expect(page.rows.map((r) => r.name)).toEqual(['Ann Direct', 'Cy Both'])
  })

  it('counts an app-scope grant for this app only, and no grant outside its period', async () => {
    const other = await createApp('Other')
    await createRole('Release only', [{ slug: 'release.deploy', stages: ['QA'] }])
    const qaDeployer = await createMember(admin(), { name: 'Gus QA' })
    await setRoleGrant(admin(), { userKey: qaDeployer.userKey, roleKey: '' })
    await setRoleGrant(admin(), { userKey: qaDeployer.userKey, appKey: app.key, roleKey: await roleKeyOf('Release only') })
    const expired = await createMember(admin(), { name: 'Hal Expired' })
    await setRoleGrant(admin(), { userKey: expired.userKey, roleKey: await roleKeyOf('Developer'), endsAt: '2020-01-01T00:00' })
    const names = async (appKey: string, code: string, map: Map<string, string>) => (await whoHasAccess(admin(), { appKey, stageKey: map.get(code)! })).rows.map((r) => r.name)
    expect(await names(app.key, 'QA', app.stages)).toContain('Gus QA')
    // The role only deploys to QA: nothing on the app in PRD, and nothing at all on another app.
    expect(await names(app.key, 'PRD', app.stages)).not.toContain('Gus QA')
    expect(await names(other.key, 'QA', other.stages)).not.toContain('Gus QA')
    expect(await names(app.key, 'PRD', app.stages)).not.toContain('Hal Expired')
  })

  it('pages through holders with a cursor, whether the walk or the grant tables find them', async () => {
    const many = await insertUsers(Array.from({ length: 30 }, (_, i) => ({ name: `Pager ${String(i).padStart(2, '0')}` })))
    for (const u of many) await grantAppRole(u, [approver.instances.get('DEV')!])
    const seen: string[] = []
    let after: string | undefined
    do {
      const page = await whoHasAccess(admin(), { appKey: app.key, stageKey: app.stages.get('DEV')!, appRoleKey: approver.key, perPage: 10, after })
      seen.push(...page.rows.map((r) => r.name))
      after = page.next ?? undefined
    } while (after)
    expect(seen).toEqual(many.map((_, i) => `Pager ${String(i).padStart(2, '0')}`))
  })

  it('follows stage-limited permission to view end-users, and refuses the signed-out', async () => {
    const page = await whoHasAccess(dev.ctx(), { appKey: app.key, stageKey: app.stages.get('DEV')! })
    expect(page.rows.length).toBeGreaterThan(0)
    await expect(whoHasAccess(dev.ctx(), { appKey: app.key, stageKey: prd })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(whoHasAccess(anonymous(), { appKey: app.key, stageKey: prd })).rejects.toBeInstanceOf(UnauthenticatedError)
  })

  it('refuses a stage the app is not deployed to and a forged cursor', async () => {
    const prdOnly = await createApp('PRD only', ['PRD'])
    await expect(whoHasAccess(admin(), { appKey: prdOnly.key, stageKey: app.stages.get('QA')! })).rejects.toBeInstanceOf(ValidationError)
    await expect(whoHasAccess(admin(), { appKey: app.key, stageKey: prd, after: 'garbage' })).rejects.toBeInstanceOf(ValidationError)
  })
})
