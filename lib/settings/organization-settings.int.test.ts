import { beforeAll, describe, expect, it } from 'vitest'
import { auditEvents, organizations } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { ForbiddenError, UnauthenticatedError, ValidationError } from '@/lib/errors'
import { getNavigation } from '@/lib/me/navigation'
import { getOrganization } from '@/lib/setup/organization'
import { auditRows, createMember, createRole, rowCounts, type Member } from '@/test/factories'
import { anonymous, setupOrganization, useTestDatabase } from '@/test/harness'
import { getSettings } from './get-settings'
import { updateOrganizationName } from './update-organization-name'
import { updatePasswordPolicy } from './update-password-policy'

const snapshot = () => rowCounts({ organizations, audit: auditEvents })

describe('organization settings and who sees the settings page', () => {
  useTestDatabase()
  let admin: Ctx
  let developer: Member
  let orgManager: Member
  let subscriptionViewer: Member
  let emailAdmin: Member
  let stageEmailAdmin: Member

  beforeAll(async () => {
    ;({ admin } = await setupOrganization())
    developer = await createMember(admin)
    await createRole('Organization manager', [{ slug: 'org.manage' }])
    await createRole('Subscription viewer', [{ slug: 'subscription.view' }])
    await createRole('Email admin', [{ slug: 'config.email' }])
    await createRole('DEV email admin', [{ slug: 'config.email', stages: ['DEV'] }])
    orgManager = await createMember(admin, { role: 'Organization manager' })
    subscriptionViewer = await createMember(admin, { role: 'Subscription viewer' })
    emailAdmin = await createMember(admin, { role: 'Email admin' })
    stageEmailAdmin = await createMember(admin, { role: 'DEV email admin' })
  })

  it('shows an administrator every section, editable', async () => {
    const s = await getSettings(admin)
    expect(s.access).toEqual({ renameOrganization: true, renameStages: true, manageAuthentication: true, viewInternalDomains: true, manageInternalDomains: true, manageEmail: true })
    expect(s.organization).toMatchObject({ name: 'Acme', passwordPolicy: 'odc' })
    expect(s.stages?.map((x) => x.code)).toEqual(['DEV', 'QA', 'PRD'])
    expect(s.stages?.[0]).toMatchObject({ sessions: { maxMinutes: 720, idleMinutes: 720, liveSessions: 0 }, selfRegistration: { enabled: false, allowedDomains: [], groups: [] } })
    expect(s.stages?.[0].hostedUrls).toEqual({ signUp: 'http://localhost:3000/s/DEV/sign-up', signIn: 'http://localhost:3000/s/DEV/sign-in' })
    expect(s.internalDomains).toEqual([])
    expect(s.email).toEqual({ delivery: 'outbox', saved: null, environment: null })
  })

  it('shows each member only the sections of their permissions, and refuses the rest with a 403', async () => {
    const viewer = await getSettings(subscriptionViewer.ctx())
    expect(viewer.access).toMatchObject({ viewInternalDomains: true, manageInternalDomains: false, renameOrganization: false, manageEmail: false })
    expect(viewer).toMatchObject({ stages: null, internalDomains: [], email: null })
    const email = await getSettings(emailAdmin.ctx())
    expect(email).toMatchObject({ stages: null, internalDomains: null, email: { delivery: 'outbox' } })

    await expect(getSettings(developer.ctx())).rejects.toBeInstanceOf(ForbiddenError)
    // The one SMTP server serves every stage: a grant limited to DEV does not cover it.
    await expect(getSettings(stageEmailAdmin.ctx())).rejects.toBeInstanceOf(ForbiddenError)
    await expect(getSettings(anonymous())).rejects.toBeInstanceOf(UnauthenticatedError)
  })

  it('shows the Settings link exactly to those the page opens for', async () => {
    expect((await getNavigation(admin)).settings).toBe(true)
    expect((await getNavigation(emailAdmin.ctx())).settings).toBe(true)
    expect((await getNavigation(subscriptionViewer.ctx())).settings).toBe(true)
    expect((await getNavigation(developer.ctx())).settings).toBe(false)
    expect((await getNavigation(stageEmailAdmin.ctx())).settings).toBe(false)
  })

  it('renames the organization and audits the change', async () => {
    await updateOrganizationName(orgManager.ctx(), { name: '  Acme Corporation ' })
    expect((await getOrganization())?.name).toBe('Acme Corporation')
    const [event] = await auditRows('organization.renamed')
    expect(event).toMatchObject({ actorKey: orgManager.userKey, targetType: 'organization', targetLabel: 'Acme Corporation' })
    expect(event.changes).toEqual({ before: { name: 'Acme' }, after: { name: 'Acme Corporation' } })
    // The same name again changes nothing and writes no event.
    await updateOrganizationName(admin, { name: 'Acme Corporation' })
    expect(await auditRows('organization.renamed')).toHaveLength(1)
  })

  it('refuses an empty or overlong name, unknown fields and members without Manage organization, changing nothing', async () => {
    const before = await snapshot()
    for (const input of [{ name: '  ' }, { name: 'x'.repeat(121) }, { name: 'Fine', extra: 1 }, {}]) {
      const error = await updateOrganizationName(admin, input).catch((e) => e)
      expect(error).toBeInstanceOf(ValidationError)
    }
    const empty = await updateOrganizationName(admin, { name: '' }).catch((e) => e)
    expect(empty.fieldErrors.name).toEqual(['Enter the organization name.'])
    await expect(updateOrganizationName(developer.ctx(), { name: 'Hijacked' })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(updateOrganizationName(emailAdmin.ctx(), { name: 'Hijacked' })).rejects.toBeInstanceOf(ForbiddenError)
    expect(await snapshot()).toEqual(before)
    expect((await getOrganization())?.name).toBe('Acme Corporation')
  })

  it('switches the password rule with Manage authentication only, and audits it', async () => {
    const before = await snapshot()
    await expect(updatePasswordPolicy(orgManager.ctx(), { mode: 'asvs' })).rejects.toBeInstanceOf(ForbiddenError)
    const bad = await updatePasswordPolicy(admin, { mode: 'none' }).catch((e) => e)
    expect(bad).toBeInstanceOf(ValidationError)
    expect(bad.fieldErrors.mode).toBeDefined()
    expect(await snapshot()).toEqual(before)

    expect(await updatePasswordPolicy(admin, { mode: 'asvs' })).toEqual({ mode: 'asvs' })
    expect((await getOrganization())?.passwordPolicy).toBe('asvs')
    const [event] = await auditRows('organization.password_policy_changed')
    expect(event.changes).toEqual({ before: { passwordPolicy: 'odc' }, after: { passwordPolicy: 'asvs' } })
    await updatePasswordPolicy(admin, { mode: 'odc' })
    expect((await getOrganization())?.passwordPolicy).toBe('odc')
    expect(await auditRows('organization.password_policy_changed')).toHaveLength(2)
  })
})
