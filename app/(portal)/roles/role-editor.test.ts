import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { RoleEditor } from '@/components/roles/role-editor'
import { permissionDefs } from '@/lib/authz/catalogue'
import type { PermissionRegistry } from '@/lib/roles/permission-registry'

// The editor is a client island; rendering it on the server shows what a visitor first sees.
const registry: PermissionRegistry = {
  categories: [...new Set(permissionDefs.map((p) => p.category))].map((category) => ({
    category,
    permissions: permissionDefs
      .filter((p) => p.category === category)
      .map((p) => ({ slug: p.slug, name: p.name, purpose: p.purpose, scopes: p.allowedScopes.map((s) => (s === 'Asset' ? 'App' : 'Organization')), allowStages: p.allowStages, inherits: p.inherits })),
  })),
  stages: [
    { key: '11111111-1111-4111-8111-111111111111', code: 'DEV', name: 'Development' },
    { key: '22222222-2222-4222-8222-222222222222', code: 'PRD', name: 'Production' },
  ],
}
const role = {
  key: '33333333-3333-4333-8333-333333333333',
  name: 'Builders',
  description: 'Builds apps',
  version: 4,
  permissions: [
    { slug: 'asset.change', stageKeys: null },
    { slug: 'release.deploy', stageKeys: ['22222222-2222-4222-8222-222222222222'] },
  ],
}

function checkbox(html: string, slug: string): string {
  return new RegExp(`<input[^>]*id="perm-${slug.replace('.', '\\.')}"[^>]*>`).exec(html)?.[0] ?? ''
}

describe('role editor', () => {
  it('shows implied permissions checked, locked and explained, and stage limits of chosen ones', () => {
    const html = renderToStaticMarkup(createElement(RoleEditor, { registry, role, saveAction: async () => null }))
    expect(checkbox(html, 'asset.change')).toMatch(/checked/)
    expect(checkbox(html, 'asset.change')).not.toMatch(/disabled/)
    expect(checkbox(html, 'asset.debug')).toMatch(/checked/)
    expect(checkbox(html, 'asset.debug')).toMatch(/disabled/)
    expect(checkbox(html, 'asset.create')).not.toMatch(/checked/)
    expect(html).toContain('Included by Change')
    expect(html).toContain('Only in')
    expect(html).toMatch(/name="version" value="4"/)
    // Only the explicit choices are submitted.
    expect(html).toContain(`value="${JSON.stringify(role.permissions).replaceAll('"', '&quot;')}"`)
    expect(html).toContain('>App<')
  })

  it('shows a read-only role without inputs to change it', () => {
    const html = renderToStaticMarkup(createElement(RoleEditor, { registry, role, readOnly: true }))
    expect(html).not.toContain('name="name"')
    expect(html).not.toContain('Save changes')
    expect(checkbox(html, 'asset.change')).toMatch(/disabled/)
    expect(html).not.toContain('perm-mentor.use')
  })
})
