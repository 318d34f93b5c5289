import { eq } from 'drizzle-orm'
import { decodeProtectedHeader } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditEvents, signingKeys } from '@/db/schema'
import { authenticateApiRequest } from '@/lib/api/authenticate'
import { issueClientToken } from '@/lib/api/issue-client-token'
import { insertApiClient, type TestApiClient } from '@/lib/api/testing'
import { systemCtx } from '@/lib/context'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { CLI_ACTOR_LABEL } from '../command'
import { runCli } from '../run'

async function cli(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out, err }
}

describe('gatehouse rotate-signing-key', () => {
  const database = useTestDatabase()
  let client: TestApiClient
  beforeAll(async () => {
    await setupOrganization()
    client = await insertApiClient()
  })

  const token = async () =>
    (await issueClientToken(systemCtx('test'), new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret }))).access_token
  const accepted = async (t: string) => (await authenticateApiRequest(new Request('http://localhost/api/gatehouse/v1/whoami', { headers: { authorization: `Bearer ${t}` } }))).actor

  it('is listed in the help', async () => {
    expect((await cli('help')).out.join('\n')).toMatch(/rotate-signing-key\s+Retire the key that signs API access tokens/)
  })

  it('new tokens carry the new kid; tokens signed before stay valid; audited as the CLI', async () => {
    const before = await token()
    const oldKid = decodeProtectedHeader(before).kid

    const result = await cli('rotate-signing-key', '--json')
    expect(result.code).toBe(0)
    expect(result.out).toHaveLength(1)
    const data = JSON.parse(result.out[0])
    expect(data).toEqual({ kid: expect.any(String), retiredKids: [oldKid] })

    const after = await token()
    expect(decodeProtectedHeader(after).kid).toBe(data.kid)
    expect(await accepted(before)).toMatchObject({ clientKey: client.key })
    expect(await accepted(after)).toMatchObject({ clientKey: client.key })

    const [event] = await database.current().db.select().from(auditEvents).where(eq(auditEvents.action, 'signing_key.rotated'))
    expect(event).toMatchObject({ actorType: 'system', actorLabel: CLI_ACTOR_LABEL, targetKey: data.kid })
  })

  it('prints what it did for people', async () => {
    const result = await cli('rotate-signing-key')
    expect(result.code).toBe(0)
    expect(result.out[0]).toMatch(/^New signing key [\w-]+\.$/)
    expect(result.out[1]).toMatch(/^Retired [\w-]+; its tokens stay valid until they expire\.$/)
    expect(await database.current().db.select().from(signingKeys)).toHaveLength(3)
  })
})
