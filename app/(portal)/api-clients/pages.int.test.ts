import type { ReactElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { createApiClient } from '@/lib/api-clients/create-api-client'
import { suspendApiClient } from '@/lib/api-clients/suspend-api-client'
import type { Ctx } from '@/lib/context'
import { createMember } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { current, NavigationError } from '@/test/next-stubs'

// Server-component pages rendered in-process with a stand-in request context (see test/next-stubs.ts).
vi.mock('@/lib/request', () => import('@/test/next-stubs').then((m) => m.request))
vi.mock('next/cache', () => import('@/test/next-stubs').then((m) => m.cache))
vi.mock('next/navigation', () => import('@/test/next-stubs').then((m) => m.navigation))

const { default: ListPage } = await import('./page')
const { default: NewPage } = await import('./new/page')
const { default: ClientPage } = await import('./[key]/page')

const render = async (page: Promise<ReactElement>) => renderToStaticMarkup(await page)
const search = (v: Record<string, string> = {}) => Promise.resolve(v)

describe('API client pages (UI-9)', () => {
  useTestDatabase()
  let admin: Ctx
  let developer: Ctx

  beforeAll(async () => {
    ;({ admin } = await setupOrganization())
    developer = (await createMember(admin)).ctx()
  })

  it('shows an empty state that offers the first client', async () => {
    current.ctx = admin
    const html = await render(ListPage({ searchParams: search() }))
    expect(html).toContain('No API clients yet')
    expect(html).toContain('href="/api-clients/new"')
  })

  it('lists clients with their client id, status, expiry and permissions, and filters by status', async () => {
    current.ctx = admin
    const a = await createApiClient(admin, { name: 'Payroll sync', permissions: [{ slug: 'users.view_members', stageKeys: null }] })
    const b = await createApiClient(admin, { name: 'Old exporter' })
    await suspendApiClient(admin, { clientKey: b.clientKey })
    const html = await render(ListPage({ searchParams: search() }))
    expect(html).toContain('Payroll sync')
    expect(html).toContain(a.clientId)
    expect(html).toContain('Available')
    expect(html).toContain('Suspended')
    expect(html).not.toContain(a.clientSecret)
    const filtered = await render(ListPage({ searchParams: search({ status: 'suspended' }) }))
    expect(filtered).toContain('Old exporter')
    expect(filtered).not.toContain('Payroll sync')
    const none = await render(ListPage({ searchParams: search({ q: 'zzz' }) }))
    expect(none).toContain('No API clients match these filters')
  })

  it('offers the create form with the permission picker and the expiry defaults', async () => {
    current.ctx = admin
    const html = await render(NewPage())
    expect(html).toContain('Create API client')
    expect(html).toContain('name="expiresOn"')
    expect(html).toContain('Email a reminder before it expires')
    expect(html).toContain('Manage API clients')
  })

  it('shows a client in tabs, never its secret', async () => {
    current.ctx = admin
    const c = await createApiClient(admin, { name: 'Tabbed', permissions: [{ slug: 'users.view_members', stageKeys: null }] })
    const details = await render(ClientPage({ params: Promise.resolve({ key: c.clientKey }), searchParams: search({ notice: 'saved' }) }))
    expect(details).toContain('The API client was saved.')
    expect(details).toContain(c.clientId)
    expect(details).toContain('Suspend')
    expect(details).toContain('Delete API client')
    const permissions = await render(ClientPage({ params: Promise.resolve({ key: c.clientKey }), searchParams: search({ tab: 'permissions' }) }))
    expect(permissions).toContain('Save permissions')
    const secret = await render(ClientPage({ params: Promise.resolve({ key: c.clientKey }), searchParams: search({ tab: 'secret' }) }))
    expect(secret).toContain('Generate new secret')
    expect(secret).toContain('Keeps working for 72 hours')
    for (const html of [details, permissions, secret]) expect(html).not.toContain(c.clientSecret)
  })

  it('answers 403 to members without Manage API clients and 404 to an unknown key', async () => {
    current.ctx = developer
    await expect(render(ListPage({ searchParams: search() }))).rejects.toThrow(NavigationError)
    await expect(render(NewPage())).rejects.toThrow(/forbidden/)
    current.ctx = admin
    await expect(render(ClientPage({ params: Promise.resolve({ key: '00000000-0000-4000-8000-000000000000' }), searchParams: search() }))).rejects.toThrow(/not found/)
  })
})
