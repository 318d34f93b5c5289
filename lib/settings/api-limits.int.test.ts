import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { auditEvents, organizations } from '@/db/schema'
import { issueClientToken } from '@/lib/api/issue-client-token'
import { insertApiClient } from '@/lib/api/testing'
import { systemCtx, type Ctx } from '@/lib/context'
import { ForbiddenError, ValidationError } from '@/lib/errors'
import { GET as whoami } from '@/app/api/gatehouse/v1/whoami/route'
import { auditRows, createMember, createRole, rowCounts, type Member } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { getSettings } from './get-settings'
import { updateApiLimits } from './update-api-limits'

const snapshot = async () => ({ ...(await rowCounts({ audit: auditEvents })), org: (await (await getDb()).select().from(organizations))[0] })

describe('API limits (API-3, APIC-1)', () => {
  useTestDatabase()
  let admin: Ctx
  let developer: Member
  let orgManager: Member
  beforeAll(async () => {
    ;({ admin } = await setupOrganization())
    developer = await createMember(admin)
    await createRole('Organization manager', [{ slug: 'org.manage' }])
    orgManager = await createMember(admin, { role: 'Organization manager' })
  })

  it('shows the defaults and today’s number of clients on the settings page', async () => {
    await insertApiClient()
    const { organization } = await getSettings(admin)
    expect(organization.apiLimits).toEqual({ apiRateLimit: 100, bulkRateLimit: 5, apiClientLimit: 35, apiClients: 1 })
  })

  it('saves new limits from form text, audits only what changed, and the next API request uses them', async () => {
    expect(await updateApiLimits(orgManager.ctx(), { apiRateLimit: '2,000', bulkRateLimit: '5', apiClientLimit: ' 50 ' })).toEqual({ changed: true })
    const [event] = await auditRows('organization.api_limits_changed')
    expect(event.actorKey).toBe(orgManager.userKey)
    expect(event.changes).toEqual({ before: { apiRateLimit: 100, apiClientLimit: 35 }, after: { apiRateLimit: 2000, apiClientLimit: 50 } })
    expect(await updateApiLimits(admin, { apiRateLimit: 2000, bulkRateLimit: 5, apiClientLimit: 50 })).toEqual({ changed: false })
    expect(await auditRows('organization.api_limits_changed')).toHaveLength(1)

    const client = await insertApiClient()
    const { access_token } = await issueClientToken(systemCtx('test'), new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret }))
    const response = await whoami(new Request('http://localhost:3000/api/gatehouse/v1/whoami', { headers: { authorization: `Bearer ${access_token}` } }), { params: Promise.resolve({}) })
    expect(response.headers.get('RateLimit-Limit')).toBe('2000')
  })

  it('refuses bad numbers, a bulk rate above the request rate, unknown fields and members without Manage organization, changing nothing', async () => {
    const before = await snapshot()
    const cases: Array<[unknown, string]> = [
      [{ apiRateLimit: '0', bulkRateLimit: '1', apiClientLimit: '1' }, 'apiRateLimit'],
      [{ apiRateLimit: '100001', bulkRateLimit: '1', apiClientLimit: '1' }, 'apiRateLimit'],
      [{ apiRateLimit: '1.5', bulkRateLimit: '1', apiClientLimit: '1' }, 'apiRateLimit'],
      [{ apiRateLimit: 'lots', bulkRateLimit: '1', apiClientLimit: '1' }, 'apiRateLimit'],
      [{ apiRateLimit: '10', bulkRateLimit: '11', apiClientLimit: '1' }, 'bulkRateLimit'],
      [{ apiRateLimit: '10', bulkRateLimit: '1', apiClientLimit: '' }, 'apiClientLimit'],
      [{ apiRateLimit: '10', bulkRateLimit: '1', apiClientLimit: '1', unlimited: true }, 'form'],
    ]
    for (const [input, field] of cases) {
      const error = await updateApiLimits(admin, input).catch((e) => e)
      expect(error, JSON.stringify(input)).toBeInstanceOf(ValidationError)
      expect(Object.keys(error.fieldErrors), JSON.stringify(input)).toEqual([field])
    }
    await expect(updateApiLimits(developer.ctx(), { apiRateLimit: 10, bulkRateLimit: 1, apiClientLimit: 1 })).rejects.toBeInstanceOf(ForbiddenError)
    expect(await snapshot()).toEqual(before)
  })
})
