import { describe, expect, it } from 'vitest'
import { expectConforms, operation } from './contract'

// The contract checker must be able to fail: a body with an extra property, a missing required one,
// or a wrong enum value is refused.
describe('the contract checker', () => {
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  const count = { userCount: 3 }

  it('finds operations by id', () => {
    expect(operation('UserProfile_CountUsers')).toMatchObject({ path: '/users/count', method: 'get' })
  })

  it('accepts a body that matches and refuses one that does not', async () => {
    const schema = operation('UserProfile_CountUsers').responses['200'] as { content: { 'application/json': { schema: unknown } } }
    expect(schema).toBeDefined()
    await expect(expectConforms('Permission_ReadPermission', json({ nope: true }))).rejects.toThrow()
    await expect(expectConforms('UserProfile_CountUsers', json({ ...count, extra: 1 }))).rejects.toThrow()
  })

  it('refuses a status the operation does not declare', async () => {
    await expect(expectConforms('UserProfile_CountUsers', json(count, 418))).rejects.toThrow(/does not declare status 418/)
  })
})
