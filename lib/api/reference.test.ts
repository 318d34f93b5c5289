import { describe, expect, it } from 'vitest'
import { apiReference, typeOf } from './reference'

describe('the API reference page model', () => {
  it('lists every operation of each API once, grouped by tag', () => {
    const identity = apiReference('identity')
    expect(identity.operationCount).toBe(37)
    expect(identity.groups.map((g) => g.tag)).toEqual(['users', 'organization-roles', 'application-roles', 'groups', 'identity-providers', 'permissions'])
    const create = identity.groups.flatMap((g) => g.operations).find((o) => o.id === 'UserProfile_CreateUser')!
    expect(create).toMatchObject({ method: 'POST', path: '/users', permission: 'users.manage' })
    expect(create.body?.fields.map((f) => f.name)).toContain('email')
    expect(create.responses.map((r) => r.status)).toContain('201')
    expect(apiReference('gatehouse').groups.flatMap((g) => g.operations).map((o) => o.id)).toContain('WhoAmI')
  })

  it('narrows to operations whose path, summary, id or permission contains the term', () => {
    const found = apiReference('identity', 'MANAGE_GROUPS')
    const ops = found.groups.flatMap((g) => g.operations)
    expect(ops.length).toBeGreaterThan(0)
    expect(ops.every((o) => o.permission?.includes('endusers.manage_groups'))).toBe(true)
    expect(apiReference('identity', 'no such thing').groups).toEqual([])
  })

  it('writes types the way a reader expects', () => {
    expect(typeOf({ type: 'string', format: 'uuid' })).toBe('string (uuid)')
    expect(typeOf({ type: 'array', items: { $ref: '#/components/schemas/Page' } })).toBe('Page[]')
    expect(typeOf({ enum: ['Active', 'Inactive'] })).toBe('"Active" | "Inactive"')
    expect(typeOf({ allOf: [{ $ref: '#/components/schemas/X' }] })).toBe('X')
    expect(typeOf({ type: 'object', additionalProperties: { type: 'string' } })).toBe('map of string')
  })
})
