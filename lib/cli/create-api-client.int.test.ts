import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { apiClientPermissions, apiClients, auditEvents } from '@/db/schema'
import { authenticateClientSecret } from '@/lib/api-clients/authenticate'
import { permissionDefs } from '@/lib/authz/catalogue'
import { stageKeyOf } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { CLI_ACTOR_LABEL } from './command'
import { runCli } from './run'

async function cli(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out: out.join('\n'), err: err.join('\n'), lines: out }
}

describe('gatehouse create-api-client', () => {
  const database = useTestDatabase()
  const db = () => database.current().db

  it('before first-run setup points to /setup and creates nothing', async () => {
    const result = await cli('create-api-client', '--name', 'Early', '--permission', 'all')
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/\/setup/)
    expect(await db().select().from(apiClients)).toEqual([])
  })

  describe('after setup', () => {
    beforeAll(async () => {
      await setupOrganization()
    })

    it('with --json prints exactly the client id and secret on the last line, and the secret works', async () => {
      const result = await cli('create-api-client', '--name', 'CI deployer', '--permission', 'users.view_members', '--permission', 'endusers.view', '--stage', 'qa', '--description', 'From the pipeline', '--json')
      expect(result.code).toBe(0)
      const last = JSON.parse(result.lines.at(-1)!)
      expect(Object.keys(last)).toEqual(['clientId', 'clientSecret'])
      expect(last.clientId).toMatch(/^[0-9a-f]{32}$/)
      const found = await authenticateClientSecret(db(), last.clientId, last.clientSecret, new Date())
      expect(found).toMatchObject({ name: 'CI deployer' })

      const qa = await stageKeyOf('QA')
      const perms = await db().select({ stageKeys: apiClientPermissions.stageKeys }).from(apiClientPermissions).where(eq(apiClientPermissions.clientKey, found!.clientKey))
      expect(perms.map((p) => p.stageKeys).sort()).toEqual([[qa], null])
      const [event] = await db().select().from(auditEvents).where(eq(auditEvents.targetKey, found!.clientKey))
      expect(event).toMatchObject({ action: 'api_client.created', actorType: 'system', actorLabel: CLI_ACTOR_LABEL })
      expect(JSON.stringify(event)).not.toContain(last.clientSecret)
    })

    it('--permission all grants every permission, stage-limited where the permission allows it', async () => {
      const result = await cli('create-api-client', '--name', 'Everything in DEV', '--permission', 'all', '--stage', 'DEV', '--json')
      expect(result.code).toBe(0)
      const { clientId } = JSON.parse(result.lines.at(-1)!)
      const [client] = await db().select().from(apiClients).where(eq(apiClients.clientId, clientId))
      const rows = await db().select().from(apiClientPermissions).where(eq(apiClientPermissions.clientKey, client.key))
      expect(rows).toHaveLength(permissionDefs.length)
      const dev = await stageKeyOf('DEV')
      for (const def of permissionDefs) expect(rows.find((r) => r.permissionKey === def.key)!.stageKeys).toEqual(def.allowStages ? [dev] : null)
    })

    it('prints the secret once for people, and refuses mistakes without creating anything', async () => {
      const text = await cli('create-api-client', '--name', 'Readable', '--permission', 'all')
      expect(text.code).toBe(0)
      expect(text.out).toMatch(/Client id: +[0-9a-f]{32}/)
      expect(text.out).toMatch(/Client secret: +\S{43,}/)
      expect(text.out).toMatch(/shown only now/)

      const count = async () => (await db().select().from(apiClients)).length
      const before = await count()
      const unknown = await cli('create-api-client', '--name', 'Bad', '--permission', 'users.fly')
      expect(unknown.code).toBe(1)
      expect(unknown.err).toMatch(/users\.fly/)
      const badStage = await cli('create-api-client', '--name', 'Bad', '--permission', 'all', '--stage', 'XYZ', '--json')
      expect(badStage.code).toBe(1)
      expect(JSON.parse(badStage.lines.at(-1)!).error.fieldErrors.stage[0]).toMatch(/XYZ/)
      const duplicate = await cli('create-api-client', '--name', 'readable', '--permission', 'all')
      expect(duplicate.code).toBe(1)
      expect(duplicate.err).toMatch(/already has this name/)
      const tooFar = await cli('create-api-client', '--name', 'Far', '--permission', 'all', '--expires-on', '2099-01-01')
      expect(tooFar.code).toBe(1)
      expect((await cli('create-api-client', '--name', 'No permission')).code).toBe(2)
      expect(await count()).toBe(before)
    })
  })
})
