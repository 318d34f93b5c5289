import { beforeAll, describe, expect, it } from 'vitest'
import type { Ctx } from '@/lib/context'
import { UnauthenticatedError } from '@/lib/errors'
import { setOrganizationRole } from '@/lib/users/set-organization-role'
import { createMember, createRole } from '@/test/factories'
import { ADMIN, anonymous, asUser, setupOrganization, useTestDatabase } from '@/test/harness'
import { getNavigation } from './navigation'

describe('portal navigation (UI-13)', () => {
  let admin: () => Ctx
  useTestDatabase()

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
  })

  it('shows an administrator every section', async () => {
    expect(await getNavigation(admin())).toEqual({ users: true, invite: true, roles: true, apps: true, groups: true, apiClients: true, audit: true, mailbox: true, settings: true })
  })

  it('shows a Developer the users list only', async () => {
    const dev = await createMember(admin())
    expect(await getNavigation(dev.ctx())).toEqual({ users: true, invite: true, roles: true, apps: true, groups: true, apiClients: false, audit: false, mailbox: false, settings: false })
  })

  it('follows custom roles, counting stage-limited grants', async () => {
    await createRole('Auditor', [{ slug: 'org.view_audit' }])
    await createRole('QA end-user desk', [{ slug: 'endusers.view', stages: ['QA'] }])
    await createRole('Inviter', [{ slug: 'users.manage_member_access' }])
    await createRole('Mail desk', [{ slug: 'config.email' }])
    await createRole('QA mail desk', [{ slug: 'config.email', stages: ['QA'] }])
    const auditor = await createMember(admin(), { role: 'Auditor' })
    expect(await getNavigation(auditor.ctx())).toEqual({ users: false, invite: false, roles: false, apps: false, groups: false, apiClients: false, audit: true, mailbox: false, settings: false })
    const desk = await createMember(admin(), { role: 'QA end-user desk' })
    expect(await getNavigation(desk.ctx())).toEqual({ users: true, invite: false, roles: false, apps: false, groups: true, apiClients: false, audit: false, mailbox: false, settings: false })
    const inviter = await createMember(admin(), { role: 'Inviter' })
    expect(await getNavigation(inviter.ctx())).toEqual({ users: true, invite: true, roles: true, apps: false, groups: false, apiClients: false, audit: false, mailbox: false, settings: false })
    const mail = await createMember(admin(), { role: 'Mail desk' })
    expect(await getNavigation(mail.ctx())).toEqual({ users: false, invite: false, roles: false, apps: false, groups: false, apiClients: false, audit: false, mailbox: false, settings: true })
    // The one SMTP server serves every stage: a grant limited to QA does not open its settings.
    const qaMail = await createMember(admin(), { role: 'QA mail desk' })
    expect((await getNavigation(qaMail.ctx())).settings).toBe(false)
  })

  it('shows API clients to those who manage them at organization scope only (APIC-1)', async () => {
    await createRole('API desk', [{ slug: 'users.manage_api_clients' }])
    const desk = await createMember(admin(), { role: 'API desk' })
    expect(await getNavigation(desk.ctx())).toEqual({ users: false, invite: false, roles: false, apps: false, groups: false, apiClients: true, audit: false, mailbox: false, settings: false })
  })

  it('shows a member without a role nothing, on their very next request', async () => {
    const dev = await createMember(admin())
    await setOrganizationRole(admin(), { userKey: dev.userKey, roleKey: '' })
    expect(await getNavigation(dev.ctx())).toEqual({ users: false, invite: false, roles: false, apps: false, groups: false, apiClients: false, audit: false, mailbox: false, settings: false })
  })

  it('refuses the signed-out', async () => {
    await expect(getNavigation(anonymous())).rejects.toBeInstanceOf(UnauthenticatedError)
  })
})
