import type { ReactElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { Ctx } from '@/lib/context'
import { saveEmailSettings } from '@/lib/settings/save-email-settings'
import { createGroup } from '@/test/access-factories'
import { createMember, createRole } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { current, redirected } from '@/test/next-stubs'

// The settings pages are server components: rendered here with a stand-in request context, they
// show each member the sections of their permissions, editable or read-only, and 403 the rest.
vi.mock('@/lib/request', () => import('@/test/next-stubs').then((m) => m.request))
vi.mock('next/cache', () => import('@/test/next-stubs').then((m) => m.cache))
vi.mock('next/navigation', () => import('@/test/next-stubs').then((m) => m.navigation))

const { default: SettingsPage } = await import('./page')
const { default: OrganizationPage } = await import('./organization/page')
const { default: StagesPage } = await import('./stages/page')
const { default: DomainsPage } = await import('./internal-domains/page')
const { default: EmailPage } = await import('./email/page')

const render = async (page: Promise<ReactElement>) => renderToStaticMarkup(await page)
const params = (p: Record<string, string> = {}) => ({ searchParams: Promise.resolve(p) })

describe('settings pages', () => {
  useTestDatabase()
  let admin: Ctx
  let developer: Ctx
  let viewer: Ctx
  let emailAdmin: Ctx

  beforeAll(async () => {
    delete process.env.SMTP_URL
    ;({ admin } = await setupOrganization())
    developer = (await createMember(admin)).ctx()
    await createRole('Subscription viewer', [{ slug: 'subscription.view' }])
    await createRole('Email admin', [{ slug: 'config.email' }])
    viewer = (await createMember(admin, { role: 'Subscription viewer' })).ctx()
    emailAdmin = (await createMember(admin, { role: 'Email admin' })).ctx()
  })

  it('opens the first section the member may see', async () => {
    current.ctx = admin
    expect(await redirected(SettingsPage())).toBe('/settings/organization')
    current.ctx = developer
    await expect(SettingsPage()).rejects.toThrow('forbidden')
  })

  it('shows an administrator every tab, the name and password rule forms, both rules explained', async () => {
    current.ctx = admin
    const html = await render(OrganizationPage(params({ notice: 'policy-saved' })))
    for (const href of ['/settings/organization', '/settings/stages', '/settings/internal-domains', '/settings/email']) expect(html).toContain(`href="${href}"`)
    expect(html).toContain('Save name')
    expect(html).toContain('OutSystems rule (default)')
    expect(html).toContain('OWASP ASVS 5 rule')
    expect(html).toContain('The password rule was saved.')
  })

  it('shows a stage with its sessions in words, sign-up settings, the empty group state and the hosted page addresses', async () => {
    current.ctx = admin
    const html = await render(StagesPage(params({ stage: 'qa' })))
    expect(html).toContain('aria-current="page" class')
    expect(html).toContain('Now: 12 hours.')
    expect(html).toContain('Saving a change ends every session of QA')
    expect(html).toContain('href="/groups/new"')
    expect(html).toContain('http://localhost:3000/s/QA/sign-up')
    expect(html).toContain('http://localhost:3000/s/QA/sign-in')
    await createGroup('Testers', 'QA')
    expect(await render(StagesPage(params({ stage: 'QA' })))).toContain('Testers')
  })

  it('shows the domains read-only with View subscription, and hides the other sections', async () => {
    current.ctx = viewer
    const html = await render(DomainsPage(params()))
    expect(html).toContain('Read only')
    expect(html).toContain('No domains: every end-user counts as internal.')
    expect(html).not.toContain('Save domains')
    expect(html).not.toContain('href="/settings/email"')
    expect(html).not.toContain('href="/settings/stages"')
    await expect(EmailPage(params())).rejects.toThrow('forbidden')
    await expect(StagesPage(params())).rejects.toThrow('forbidden')
    const org = await render(OrganizationPage(params()))
    expect(org).not.toContain('Save name')
    expect(org).not.toContain('Save password rule')
  })

  it('shows the email form without the password, with test and remove', async () => {
    current.ctx = emailAdmin
    expect(await render(EmailPage(params()))).toContain('No SMTP server is configured')
    await saveEmailSettings(emailAdmin, { host: 'smtp.example.com', port: 587, security: 'starttls', username: 'mailer', password: 'Never-Shown-1', fromName: 'Acme', fromAddress: 'mail@acme.test' })
    const html = await render(EmailPage(params({ notice: 'email-saved' })))
    expect(html).toContain('Mail is delivered through smtp.example.com:587')
    expect(html).toContain('stored — leave blank to keep')
    expect(html).not.toContain('Never-Shown-1')
    expect(html).not.toContain('v1.')
    expect(html).toContain('Send test email')
    expect(html).toContain('Remove SMTP server')
  })
})
