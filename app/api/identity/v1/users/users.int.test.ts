import { beforeAll, describe, expect, it } from 'vitest'
import { insertApiClient, tokenFor } from '@/lib/api/testing'
import { createApp, createAppRole, createGroup, grantAppRole } from '@/test/access-factories'
import { expectConforms } from '@/test/contract'
import { insertUsers, stageKeyOf } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { GET as countRoute } from './count/route'
import { GET as listRoute } from './route'

// GET /api/identity/v1/users (UserProfile_QueryUsers) and /users/count (UserProfile_CountUsers).

const BASE = 'http://localhost:3000/api/identity/v1/users'
type Body = { results: Array<Record<string, unknown> & { key: string; name: string | null }>; page: Record<string, number | null> }

describe('GET /users and /users/count', () => {
  useTestDatabase()
  const tokens: Record<'manager' | 'devViewer' | 'membersViewer' | 'none', string> = { manager: '', devViewer: '', membersViewer: '', none: '' }
  const keys: Record<string, string> = {}
  let app: { key: string; stages: Map<string, string> }
  let dev: string

  beforeAll(async () => {
    await setupOrganization()
    dev = await stageKeyOf('DEV')
    tokens.manager = await tokenFor(await insertApiClient({ permissions: [{ slug: 'users.manage' }] }))
    tokens.devViewer = await tokenFor(await insertApiClient({ permissions: [{ slug: 'endusers.view', stages: ['DEV'] }] }))
    tokens.membersViewer = await tokenFor(await insertApiClient({ permissions: [{ slug: 'users.view_members' }] }))
    tokens.none = await tokenFor(await insertApiClient())
    const t = (m: number) => new Date(Date.UTC(2024, 0, 1, 0, m))
    const [anna, bob, carla, dan, eve, fred] = await insertUsers([
      { name: 'Anna Alpha', email: 'anna@list.test', lastLoginAt: t(5) },
      { name: 'bob Beta', email: 'bob@list.test', lastLoginAt: t(1) },
      { name: 'Carla Gamma', email: 'carla+x@other.test', status: 'Inactive', lastLoginAt: t(3) },
      { name: 'Dan Delta', email: 'dan@list.test', isMember: true },
      { name: 'Eve Epsilon', email: 'eve@list.test', status: 'Invited' },
      { name: 'Fred Zeta', email: 'fred@list.test', lastLoginAt: t(9) },
    ])
    Object.assign(keys, { anna, bob, carla, dan, eve, fred })
    app = await createApp('Shop', ['DEV', 'QA', 'PRD'])
    const role = await createAppRole(app.key, 'Buyer')
    await grantAppRole(anna, [role.instances.get('DEV')!])
    await grantAppRole(bob, [role.instances.get('PRD')!])
    await createGroup('Dev testers', 'DEV', { instanceKeys: [role.instances.get('DEV')!], userKeys: [carla] })
  })

  const list = async (query: string, token: string | null = tokens.manager, status = 200) => {
    const response = await listRoute(new Request(`${BASE}?${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }), { params: Promise.resolve({}) })
    expect(response.status).toBe(status)
    return (await expectConforms('UserProfile_QueryUsers', response)) as Body & { errors?: Record<string, string[]> }
  }
  const count = async (query: string, token: string | null = tokens.manager, status = 200) => {
    const response = await countRoute(new Request(`${BASE}/count?${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }), { params: Promise.resolve({}) })
    expect(response.status).toBe(status)
    return (await expectConforms('UserProfile_CountUsers', response)) as { userCount: number; errors?: Record<string, string[]> }
  }
  const names = (b: Body) => b.results.map((r) => r.name)
  const LIST = 'domains=list.test,other.test'

  it('lists the users by name with an exact page, in ODC shape', async () => {
    const body = await list(LIST)
    expect(names(body)).toEqual(['Anna Alpha', 'bob Beta', 'Carla Gamma', 'Dan Delta', 'Eve Epsilon', 'Fred Zeta'])
    expect(body.page).toEqual({ count: 6, limit: 100, offset: 0, totalResults: 6, nextPageOffset: null, totalPages: 1 })
    expect(body.results[0]).toEqual({
      key: keys.anna,
      name: 'Anna Alpha',
      email: 'anna@list.test',
      status: 'Active',
      access: { hasOrganizationRoles: false, hasApplicationRoles: true },
      lastLoginAt: '2024-01-01T00:05:00.000Z',
      isActive: true,
      photoUrl: null,
      isEmailVerified: false,
      isTermsAndConditionsAccepted: false,
    })
    expect(body.results.find((r) => r.key === keys.carla)).toMatchObject({ status: 'Inactive', isActive: false })
  })

  it('pages with offset and limit; past the end is an empty last page', async () => {
    const first = await list(`${LIST}&limit=4`)
    expect(first.page).toEqual({ count: 4, limit: 4, offset: 0, totalResults: 6, nextPageOffset: 4, totalPages: 2 })
    const second = await list(`${LIST}&limit=4&offset=4`)
    expect(names(second)).toEqual(['Eve Epsilon', 'Fred Zeta'])
    expect(second.page).toMatchObject({ count: 2, nextPageOffset: null, totalResults: 6 })
    const past = await list(`${LIST}&offset=50`)
    expect(past.results).toEqual([])
    expect(past.page).toEqual({ count: 0, limit: 100, offset: 50, totalResults: 6, nextPageOffset: null, totalPages: 1 })
    const exact = await list(`${LIST}&limit=3&offset=3`)
    expect(exact.page).toMatchObject({ count: 3, nextPageOffset: null, totalPages: 2 })
  })

  it('refuses limits outside 1..100 and bad offsets with 400 naming the parameter', async () => {
    for (const q of ['limit=0', 'limit=101', 'limit=abc', 'offset=-1', 'limit=1&limit=2'])
      expect(Object.keys((await list(`${LIST}&${q}`, tokens.manager, 400)).errors!)).toEqual([q.split('=')[0]])
  })

  it('sorts by the allowed fields in both directions; others are a 400', async () => {
    expect(names(await list(`${LIST}&sort=-name`))).toEqual(['Fred Zeta', 'Eve Epsilon', 'Dan Delta', 'Carla Gamma', 'bob Beta', 'Anna Alpha'])
    expect(names(await list(`${LIST}&sort=email`))[0]).toBe('Anna Alpha')
    expect(names(await list(`${LIST}&sort=-email`))[0]).toBe('Fred Zeta')
    // never signed in first, ascending
    expect(names(await list(`${LIST}&sort=lastLoginAt`)).slice(-4)).toEqual(['bob Beta', 'Carla Gamma', 'Anna Alpha', 'Fred Zeta'])
    expect(names(await list(`${LIST}&sort=-status`))[0]).toBe('Carla Gamma')
    const byKey = (await list(`${LIST}&sort=key`)).results.map((r) => r.key)
    expect(byKey).toEqual([...byKey].sort())
    expect((await list(`${LIST}&sort=createdAt`, tokens.manager, 400)).errors).toHaveProperty('sort')
  })

  it('filters as declared', async () => {
    expect(names(await list(`${LIST}&status=Inactive`))).toEqual(['Carla Gamma'])
    expect(names(await list(`${LIST}&nameOrEmailContains=ALPHA`))).toEqual(['Anna Alpha'])
    expect(names(await list(`${LIST}&nameOrEmailOrUsernameContains=carla%2Bx`))).toEqual(['Carla Gamma'])
    expect(names(await list('domains=other.test'))).toEqual(['Carla Gamma'])
    expect(names(await list('domains=@OTHER.test&domains=nowhere.test'))).toEqual(['Carla Gamma'])
    expect(names(await list(`${LIST}&hasOrganizationRoles=true`))).toEqual(['Dan Delta'])
    expect(names(await list(`${LIST}&hasApplicationRoles=true`))).toEqual(['Anna Alpha', 'bob Beta', 'Carla Gamma'])
    expect((await list(`${LIST}&hasApplicationRoles=false`)).page.totalResults).toBe(6)
    expect(names(await list(`environmentKey=${dev}`))).toEqual(['Anna Alpha', 'Carla Gamma'])
    expect(names(await list(`environmentKeys=${dev},${app.stages.get('PRD')}`))).toEqual(['Anna Alpha', 'bob Beta', 'Carla Gamma'])
    expect(names(await list(`assetKey=${app.key}&environmentKeys=${app.stages.get('PRD')}`))).toEqual(['bob Beta'])
    expect(names(await list(`userKeys=${keys.fred},${keys.dan}&userKeys=${keys.eve}`))).toEqual(['Dan Delta', 'Eve Epsilon', 'Fred Zeta'])
    expect(names(await list(`${LIST}&lastLoginAtSince=2024-01-01T00:03:00Z&lastLoginAtTo=2024-01-01T00:05:00Z`))).toEqual(['Anna Alpha', 'Carla Gamma'])
  })

  it('refuses bad filter values, both of a mutually exclusive pair, and unsupported filters with 400', async () => {
    const bad = async (q: string, field: string) => expect((await list(q, tokens.manager, 400)).errors).toHaveProperty(field)
    await bad('status=Deleted', 'status')
    await bad(`environmentKey=${dev}&environmentKeys=${dev}`, 'environmentKeys')
    await bad('environmentKey=not-a-uuid', 'environmentKey')
    await bad('hasOrganizationRoles=yes', 'hasOrganizationRoles')
    await bad('lastLoginAtSince=yesterday', 'lastLoginAtSince')
    await bad('embed=Groups', 'embed.0')
    await bad(`userKeys=${Array.from({ length: 21 }, () => keys.anna).join(',')}`, 'userKeys')
    await bad('portfolioKeys=not-a-uuid', 'portfolioKeys.0')
    await bad(`loggedInEnvironmentKeys=${dev}`, 'loggedInEnvironmentKeys')
  })

  it('matches nobody for a portfolio filter: Gatehouse’s one portfolio has no key a client could name', async () => {
    const body = await list(`${LIST}&portfolioKeys=${dev}`)
    expect(body.results).toEqual([])
    expect(body.page).toMatchObject({ count: 0, totalResults: 0, nextPageOffset: null })
  })

  it('embeds application roles, case-insensitively', async () => {
    const body = await list(`userKeys=${keys.anna},${keys.dan}&embed=applicationRoles,userIdentityProviders`)
    const [anna, dan] = body.results
    expect(anna._embedded).toEqual({
      applicationRoles: [expect.objectContaining({ name: 'Buyer', environmentKey: dev, assetKey: app.key, isDirectlyAssigned: true, assignedGroups: [] })],
      userIdentityProviders: [],
    })
    expect(dan._embedded).toEqual({ applicationRoles: [], userIdentityProviders: [] })
    expect((await list(`userKeys=${keys.anna}`)).results[0]).not.toHaveProperty('_embedded')
  })

  it('shows a client limited to DEV end-users only those; members to a members viewer', async () => {
    expect(names(await list(LIST, tokens.devViewer))).toEqual(['Anna Alpha', 'Carla Gamma'])
    expect((await list(`${LIST}&limit=1`, tokens.devViewer)).page).toMatchObject({ totalResults: 2, totalPages: 2, nextPageOffset: 1 })
    expect(names(await list(LIST, tokens.membersViewer))).toEqual(['Dan Delta'])
    expect((await count(LIST, tokens.devViewer)).userCount).toBe(2)
    // the embedded roles of a visible user are those in stages the client sees
    const carla = (await list(`userKeys=${keys.carla}&embed=ApplicationRoles`, tokens.devViewer)).results[0]
    expect(carla._embedded).toEqual({ applicationRoles: [expect.objectContaining({ isDirectlyAssigned: false, assignedGroups: [expect.objectContaining({ name: 'Dev testers', membershipType: 'Assigned' })] })] })
  })

  it('refuses a missing token with 401 and a client without permission to see users with 403', async () => {
    await list(LIST, null, 401)
    await list(LIST, tokens.none, 403)
    await count('', null, 401)
    await count('', tokens.none, 403)
  })

  it('counts with the shared filters', async () => {
    expect((await count(LIST)).userCount).toBe(6)
    expect((await count(`${LIST}&status=Active`)).userCount).toBe(4)
    expect((await count(`environmentKeys=${dev}`)).userCount).toBe(2)
    expect((await count(`${LIST}&hasOrganizationRoles=true`)).userCount).toBe(1)
    expect((await count(`${LIST}&lastLoginAtSince=2024-01-01T00:04:00Z`)).userCount).toBe(2)
    expect((await count('')).userCount).toBeGreaterThanOrEqual(7) // and the administrator
    expect((await count('status=Nope', tokens.manager, 400)).errors).toHaveProperty('status')
    expect((await count(`loggedInPortfolioKeys=${dev}`)).userCount).toBe(0)
  })
})
