import type { ReactElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { Ctx } from '@/lib/context'
import { createMember, createRole, grantHolders, roleKeyOf } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { current } from '@/test/next-stubs'

// The pages are server components: rendered here with a stand-in request context, they show what a
// member sees on first paint, and that a refusal becomes the 403 page.
vi.mock('@/lib/request', () => import('@/test/next-stubs').then((m) => m.request))
vi.mock('next/cache', () => import('@/test/next-stubs').then((m) => m.cache))
vi.mock('next/navigation', () => import('@/test/next-stubs').then((m) => m.navigation))

const { default: RolesPage } = await import('./page')
const { default: RolePage } = await import('./[key]/page')
const { default: NewRolePage } = await import('./new/page')

const render = async (page: Promise<ReactElement>) => renderToStaticMarkup(await page)

describe('role pages', () => {
  useTestDatabase()
  let admin: Ctx
  let developer: Ctx
  let auditorCtx: Ctx

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = org.admin
    developer = (await createMember(admin, { role: 'Developer' })).ctx()
    await createRole('Audit only', [{ slug: 'org.view_audit' }])
    auditorCtx = (await createMember(admin, { role: 'Audit only' })).ctx()
  })

  it('lists roles with counts and offers creation to administrators', async () => {
    current.ctx = admin
    const html = await render(RolesPage({ searchParams: Promise.resolve({}) }))
    expect(html).toContain('Administrator')
    expect(html).toContain('Built-in · read-only')
    expect(html).toContain('href="/roles/new"')
    expect(html).toContain('Audit only')
  })

  it('shows a built-in role read-only, with Duplicate and its holders', async () => {
    current.ctx = admin
    const key = await roleKeyOf('Developer')
    await grantHolders('Developer', 3, { prefix: 'Holder' })
    const html = await render(RolePage({ params: Promise.resolve({ key }), searchParams: Promise.resolve({}) }))
    expect(html).toContain('Duplicate')
    expect(html).not.toContain('Delete role')
    expect(html).not.toContain('Save changes')
    expect(html).toContain('Users with this role')
    expect(html).toContain('Holder 000')
  })

  it('shows a custom role as an editable form with a delete that names its impact', async () => {
    current.ctx = admin
    const key = await roleKeyOf('Audit only')
    const html = await render(RolePage({ params: Promise.resolve({ key }), searchParams: Promise.resolve({ notice: 'saved' }) }))
    expect(html).toContain('Save changes')
    expect(html).toContain('Delete role')
    expect(html).toContain('1 user loses')
    expect(html).toContain('Organization management · View audit trail')
    expect(html).toContain('The role was saved.')
  })

  it('lets a developer look but not change, and answers 403 to others', async () => {
    current.ctx = developer
    const html = await render(RolePage({ params: Promise.resolve({ key: await roleKeyOf('Audit only') }), searchParams: Promise.resolve({}) }))
    expect(html).not.toContain('Save changes')
    expect(html).not.toContain('Duplicate')
    await expect(render(NewRolePage())).rejects.toThrow('forbidden')
    current.ctx = auditorCtx
    await expect(render(RolesPage({ searchParams: Promise.resolve({}) }))).rejects.toThrow('forbidden')
    current.ctx = admin
    await expect(render(RolePage({ params: Promise.resolve({ key: 'nope' }), searchParams: Promise.resolve({}) }))).rejects.toThrow('not found')
    expect(await render(NewRolePage())).toContain('Create role')
  })
})
