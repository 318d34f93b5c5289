import { beforeAll, describe, expect, it } from 'vitest'
import type { Ctx } from '@/lib/context'
import { ForbiddenError, UnauthenticatedError, ValidationError } from '@/lib/errors'
import { createApp, createAppRole, createGroup } from '@/test/access-factories'
import { createMember, createRole, insertUsers, roleKeyOf } from '@/test/factories'
import { ADMIN, anonymous, asUser, setupOrganization, useTestDatabase } from '@/test/harness'
import { checkAccess, getCheckOptions } from './check-access'
import { setRoleGrant } from './grants'

describe('check access: allowed or denied, and why (AUTHZ-3)', () => {
  let admin: () => Ctx
  let app: { key: string; stages: Map<string, string> }
  let member: { userKey: string; email: string; ctx: () => Ctx }
  useTestDatabase()

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
    app = await createApp('Payroll')
    await createRole('QA deployer', [{ slug: 'release.deploy', stages: ['QA'] }, { slug: 'asset.change' }])
    member = await createMember(admin(), { email: 'quinn@example.test' })
    await setRoleGrant(admin(), { userKey: member.userKey, roleKey: '' })
    await setRoleGrant(admin(), { userKey: member.userKey, appKey: app.key, roleKey: await roleKeyOf('QA deployer') })
  })

  it('allows with the role, scope, stage limit and inheritance that grant it', async () => {
    const result = await checkAccess(admin(), { user: 'Quinn@Example.test', permission: 'asset.open', appKey: app.key })
    expect(result).toMatchObject({ allowed: true, question: 'May quinn@example.test use “Asset management · Open” on Payroll?' })
    expect(result.details).toEqual(['“QA deployer”, app role for Payroll, every stage (included in Change)'])
  })

  it('denies with what came close: another stage, another app', async () => {
    const prd = await checkAccess(admin(), { user: member.userKey, permission: 'release.deploy', appKey: app.key, stageKey: app.stages.get('PRD') })
    expect(prd).toMatchObject({ allowed: false, details: ['“QA deployer”, app role for Payroll: limited to other stages (QA)'] })
    expect(prd.reason).toMatch(/^Denied: role “QA deployer” for app “Payroll” grants .* only in QA, not in PRD\.$/)
    const other = await createApp('Other')
    const elsewhere = await checkAccess(admin(), { user: member.email, permission: 'asset.change', appKey: other.key })
    expect(elsewhere).toMatchObject({ allowed: false, details: ['“QA deployer”, app role for Payroll: granted for another app'] })
  })

  it('answers end-user roles per stage, with the group that grants it', async () => {
    const role = await createAppRole(app.key, 'Clerk')
    const [user] = await insertUsers([{ name: 'Ed User', email: 'ed@example.test' }])
    await createGroup('Payroll clerks', 'PRD', { instanceKeys: [role.instances.get('PRD')!], userKeys: [user] })
    const yes = await checkAccess(admin(), { user: 'ed@example.test', appRoleKey: role.key, stageKey: app.stages.get('PRD') })
    expect(yes).toMatchObject({ allowed: true, details: ['Through group “Payroll clerks” (assigned)'] })
    const no = await checkAccess(admin(), { user: 'ed@example.test', appRoleKey: role.key, stageKey: app.stages.get('QA') })
    expect(no.allowed).toBe(false)
    expect(no.reason).toContain('They hold it in PRD')
  })

  it('refuses unclear questions with field errors', async () => {
    await expect(checkAccess(admin(), { user: 'nobody@example.test', permission: 'asset.open' })).rejects.toMatchObject({ fieldErrors: { user: ['No user you may see has that email address.'] } })
    await expect(checkAccess(admin(), { user: member.email })).rejects.toBeInstanceOf(ValidationError)
    await expect(checkAccess(admin(), { user: member.email, permission: 'nope.nope' })).rejects.toMatchObject({ fieldErrors: { permission: ['Unknown permission.'] } })
    await expect(checkAccess(admin(), { user: member.email, appRoleKey: app.key })).rejects.toMatchObject({ fieldErrors: { stageKey: ['End-user roles are held per stage: choose a stage.'] } })
  })

  it('only answers about users the asker may see', async () => {
    await createRole('Auditor', [{ slug: 'org.view_audit' }])
    const auditor = await createMember(admin(), { role: 'Auditor' })
    await expect(checkAccess(auditor.ctx(), { user: member.email, permission: 'asset.open' })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(getCheckOptions(auditor.ctx())).rejects.toBeInstanceOf(ForbiddenError)
    await expect(checkAccess(anonymous(), { user: member.email, permission: 'asset.open' })).rejects.toBeInstanceOf(UnauthenticatedError)
    // A Developer sees members and DEV end-users: a PRD-only end-user answers like an unknown email.
    const [prdOnly] = await insertUsers([{ name: 'Pia Prd', email: 'pia@example.test' }])
    const role = await createAppRole(app.key, 'Auditor seat')
    await createGroup('PRD seats', 'PRD', { instanceKeys: [role.instances.get('PRD')!], userKeys: [prdOnly] })
    const developer = await createMember(admin())
    await expect(checkAccess(developer.ctx(), { user: 'pia@example.test', appRoleKey: role.key, stageKey: app.stages.get('PRD') })).rejects.toMatchObject({
      fieldErrors: { user: ['No user you may see has that email address.'] },
    })
    expect((await getCheckOptions(developer.ctx())).permissions.length).toBeGreaterThan(40)
    await expect(getCheckOptions(anonymous())).rejects.toBeInstanceOf(UnauthenticatedError)
  })
})
