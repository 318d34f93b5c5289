import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { auditEvents, registrationGroups, sessions, stages } from '@/db/schema'
import { insertApiClient, type TestApiClient, tokenFor, requestInit as init, keyParams } from '@/lib/api/testing'
import { openStageSession } from '@/lib/auth/stage-sessions'
import { createGroup } from '@/test/access-factories'
import { expectGatehouseConforms } from '@/test/contract'
import { auditRows, insertUsers, rowCounts, stageKeyOf } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { GET as getStage, PATCH as rename } from './[key]/route'
import { PATCH as patchSelfRegistration } from './[key]/self-registration/route'
import { PATCH as patchSessions } from './[key]/sessions/route'
import { GET as listStages } from './route'

const BASE = 'http://localhost:3000/api/gatehouse/v1/stages'
const UNKNOWN = '00000000-0000-4000-8000-000000000000'
type Json = Record<string, unknown>
type Page = { results: Json[]; page: Json }
type Problem = { status: number; errorCode: string; detail: string; errors?: Record<string, string[]> }


async function answer(operationId: string, response: Response) {
  const status = response.status
  return { status, body: (await expectGatehouseConforms(operationId, response)) as Json & Problem }
}
const list = async (token: string | null, query = '') => answer('Stages_ListStages', await listStages(new Request(`${BASE}${query}`, init(token)), { params: Promise.resolve({}) }))
const read = async (token: string | null, key: string) => answer('Stages_GetStage', await getStage(new Request(`${BASE}/${key}`, init(token)), keyParams(key)))
const renameStage = async (token: string | null, key: string, body: unknown) =>
  answer('Stages_RenameStage', await rename(new Request(`${BASE}/${key}`, init(token, 'PATCH', body)), keyParams(key)))
const sessionsOf = async (token: string | null, key: string, body: unknown) =>
  answer('Stages_UpdateStageSessions', await patchSessions(new Request(`${BASE}/${key}/sessions`, init(token, 'PATCH', body)), keyParams(key)))
const selfRegistration = async (token: string | null, key: string, body: unknown) =>
  answer('Stages_UpdateSelfRegistration', await patchSelfRegistration(new Request(`${BASE}/${key}/self-registration`, init(token, 'PATCH', body)), keyParams(key)))

const snapshot = () => rowCounts({ stages, registrationGroups, audit: auditEvents })
async function stageRow(key: string) {
  const db = await getDb()
  return (await db.select().from(stages).where(eq(stages.key, key)))[0]
}
/** Opens `n` end-user sessions on the stage, as signing in on its hosted pages does. */
async function openSessions(key: string, n: number): Promise<void> {
  const db = await getDb()
  const stage = await stageRow(key)
  const userKeys = await insertUsers(Array.from({ length: n }, (_, i) => ({ name: `${stage.code} end-user ${i}`, isEndUser: true })))
  await db.transaction(async (tx) => {
    for (const userKey of userKeys) await openStageSession(tx, userKey, stage, new Date(), { ip: '127.0.0.1' })
  })
}
async function liveSessions(key: string): Promise<number> {
  const db = await getDb()
  return (await db.select().from(sessions).where(eq(sessions.stageKey, key))).filter((s) => s.revokedAt === null).length
}

describe('/api/gatehouse/v1/stages', () => {
  useTestDatabase()
  let stageManager: string
  let stageManagerClient: TestApiClient
  let authManager: string
  let mailer: string
  let outsider: string
  let dev: string
  let qa: string
  let prd: string
  beforeAll(async () => {
    await setupOrganization()
    stageManagerClient = await insertApiClient({ permissions: [{ slug: 'portfolio.manage_stages' }] })
    stageManager = await tokenFor(stageManagerClient)
    authManager = await tokenFor(await insertApiClient({ permissions: [{ slug: 'users.manage_authentication' }] }))
    // Opens the settings, but not the stage section.
    mailer = await tokenFor(await insertApiClient({ permissions: [{ slug: 'config.email' }] }))
    outsider = await tokenFor(await insertApiClient({ permissions: [{ slug: 'asset.open' }] }))
    ;[dev, qa, prd] = [await stageKeyOf('DEV'), await stageKeyOf('QA'), await stageKeyOf('PRD')]
  })

  it('lists the stages in pipeline order with their settings; pagination edges', async () => {
    const { status, body } = await list(authManager)
    expect(status).toBe(200)
    const page = body as unknown as Page
    expect(page.results.map((s) => s.code)).toEqual(['DEV', 'QA', 'PRD'])
    expect(page.page).toEqual({ count: 3, limit: 100, offset: 0, totalResults: 3, nextPageOffset: null, totalPages: 1 })
    expect(page.results[0]).toEqual({
      key: dev,
      code: 'DEV',
      name: 'Development',
      hostedUrls: { signUp: expect.stringMatching(/\/s\/DEV\/sign-up$/), signIn: expect.stringMatching(/\/s\/DEV\/sign-in$/) },
      sessions: { maxMinutes: expect.any(Number), idleMinutes: expect.any(Number), liveSessions: 0 },
      selfRegistration: { enabled: false, allowedDomains: [], groups: [] },
    })
    const second = (await list(stageManager, '?limit=1&offset=1')).body as unknown as Page
    expect(second.results.map((s) => s.code)).toEqual(['QA'])
    expect(second.page).toEqual({ count: 1, limit: 1, offset: 1, totalResults: 3, nextPageOffset: 2, totalPages: 3 })
    expect((await list(stageManager, '?offset=3')).body).toMatchObject({ results: [], page: { count: 0, nextPageOffset: null } })
    for (const query of ['?limit=0', '?limit=101', '?offset=-2']) expect(await list(stageManager, query)).toMatchObject({ status: 400, body: { errorCode: 'GH-GH-VAL-40001' } })
    expect(await list(mailer)).toMatchObject({ status: 403, body: { errorCode: 'GH-GH-PERM-40301' } })
    expect(await list(outsider)).toMatchObject({ status: 403 })
    expect(await list(null)).toMatchObject({ status: 401 })
  })

  it('reads one stage: 404 unknown, 400 malformed, 403 without the permission', async () => {
    expect(await read(stageManager, prd)).toMatchObject({ status: 200, body: { key: prd, code: 'PRD', name: 'Production' } })
    expect(await read(stageManager, UNKNOWN)).toMatchObject({ status: 404, body: { errorCode: 'GH-GH-NF-40401' } })
    expect(await read(stageManager, 'dev')).toMatchObject({ status: 400, body: { errors: { key: expect.any(Array) } } })
    expect(await read(mailer, prd)).toMatchObject({ status: 403 })
    expect(await read(null, prd)).toMatchObject({ status: 401 })
  })

  it('renames a stage (its code stays) and audits it; refusals change nothing', async () => {
    const { status, body } = await renameStage(stageManager, qa, { name: ' Acceptance ' })
    expect(status).toBe(200)
    expect(body).toMatchObject({ key: qa, code: 'QA', name: 'Acceptance', hostedUrls: { signIn: expect.stringMatching(/\/s\/QA\/sign-in$/) } })
    const [event] = await auditRows('stage.renamed', qa)
    expect(event).toMatchObject({ actorType: 'api_client', actorKey: stageManagerClient.key, targetLabel: 'Acceptance (QA)' })

    const before = await snapshot()
    expect(await renameStage(stageManager, qa, { name: 'production' })).toMatchObject({ status: 409, body: { errorCode: 'GH-GH-CONF-40901', errors: { name: expect.any(Array) } } })
    expect(await renameStage(stageManager, qa, { name: '' })).toMatchObject({ status: 400, body: { errors: { name: expect.any(Array) } } })
    expect(await renameStage(stageManager, qa, {})).toMatchObject({ status: 400, body: { errors: { name: ['Enter a name.'] } } })
    expect(await renameStage(stageManager, qa, { name: 'X', code: 'ACC' })).toMatchObject({ status: 400 })
    expect(await renameStage(stageManager, UNKNOWN, { name: 'Ghost' })).toMatchObject({ status: 404 })
    expect(await renameStage(stageManager, 'qa', { name: 'Ghost' })).toMatchObject({ status: 400 })
    expect(await renameStage(authManager, qa, { name: 'Mine' })).toMatchObject({ status: 403 })
    expect(await renameStage(null, qa, { name: 'Mine' })).toMatchObject({ status: 401 })
    expect(await snapshot()).toEqual(before)
    expect((await stageRow(qa)).name).toBe('Acceptance')
  })

  it('changes session limits: ending live sessions needs confirm; absent fields stay', async () => {
    // No live sessions: applied at once.
    const quiet = await sessionsOf(authManager, prd, { maxMinutes: 600, idleMinutes: 30 })
    expect(quiet).toEqual({ status: 200, body: { maxMinutes: 600, idleMinutes: 30, liveSessions: 0, sessionsEnded: 0 } })
    expect((await sessionsOf(authManager, prd, { idleMinutes: 45 })).body).toMatchObject({ maxMinutes: 600, idleMinutes: 45 })

    await openSessions(dev, 2)
    await openSessions(qa, 1)
    const before = await snapshot()
    const refused = await sessionsOf(authManager, dev, { maxMinutes: 120, idleMinutes: 60 })
    expect(refused).toMatchObject({ status: 409, body: { errorCode: 'GH-GH-CONF-40902', errors: { confirm: [expect.stringMatching(/^2 live sessions in DEV will end/)] } } })
    expect(await liveSessions(dev)).toBe(2)
    expect(await snapshot()).toEqual(before)
    // The same limits again change nothing, so nothing needs confirming.
    const current = await stageRow(dev)
    expect((await sessionsOf(authManager, dev, { maxMinutes: current.sessionMaxMinutes })).body).toMatchObject({ sessionsEnded: 0, liveSessions: 2 })

    const confirmed = await sessionsOf(authManager, dev, { maxMinutes: 120, idleMinutes: 60, confirm: true })
    expect(confirmed).toEqual({ status: 200, body: { maxMinutes: 120, idleMinutes: 60, liveSessions: 0, sessionsEnded: 2 } })
    expect(await liveSessions(qa)).toBe(1)
    const [event] = (await auditRows('stage.sessions_changed', dev)).slice(-1)
    expect(event).toMatchObject({ actorType: 'api_client' })
    expect(event.changes).toMatchObject({ after: { sessionMaxMinutes: 120, sessionIdleMinutes: 60 }, sessionsEnded: 2 })
  })

  it('refuses bad session limits, naming the API fields', async () => {
    const before = await snapshot()
    expect(await sessionsOf(authManager, prd, { maxMinutes: 30 })).toMatchObject({ status: 400, body: { errors: { maxMinutes: expect.any(Array) } } })
    expect(await sessionsOf(authManager, prd, { maxMinutes: 60, idleMinutes: 90 })).toMatchObject({ status: 400, body: { errors: { idleMinutes: [expect.stringMatching(/longer than the maximum/)] } } })
    expect(await sessionsOf(authManager, prd, { idleMinutes: 2.5 })).toMatchObject({ status: 400, body: { errors: { idleMinutes: expect.any(Array) } } })
    expect(await sessionsOf(authManager, prd, { maxMinutes: 600, unit: 'hours' })).toMatchObject({ status: 400 })
    expect(await sessionsOf(authManager, UNKNOWN, { maxMinutes: 600 })).toMatchObject({ status: 404 })
    expect(await sessionsOf(authManager, 'prd', { maxMinutes: 600 })).toMatchObject({ status: 400 })
    expect(await sessionsOf(stageManager, prd, { maxMinutes: 600 })).toMatchObject({ status: 403 })
    expect(await sessionsOf(null, prd, { maxMinutes: 600 })).toMatchObject({ status: 401 })
    expect(await snapshot()).toEqual(before)
  })

  it('changes self-registration; absent fields stay; only groups of the stage; refusals change nothing', async () => {
    const members = await createGroup('QA testers', 'QA')
    const foreign = await createGroup('DEV crew', 'DEV')
    const { status, body } = await selfRegistration(authManager, qa, { enabled: true, allowedDomains: ['@Example.COM', 'acme.test'], groupKeys: [members] })
    expect(status).toBe(200)
    expect(body).toEqual({ enabled: true, allowedDomains: ['example.com', 'acme.test'], groups: [{ key: members, name: 'QA testers' }] })
    expect(await auditRows('stage.self_registration_changed', qa)).toEqual([expect.objectContaining({ actorType: 'api_client' })])
    expect((await selfRegistration(authManager, qa, { allowedDomains: [] })).body).toEqual({ enabled: true, allowedDomains: [], groups: [{ key: members, name: 'QA testers' }] })
    expect((await read(authManager, qa)).body).toMatchObject({ selfRegistration: { enabled: true, groups: [{ key: members }] } })

    const before = await snapshot()
    expect(await selfRegistration(authManager, qa, { groupKeys: [foreign] })).toMatchObject({ status: 400, body: { errors: { groupKeys: [expect.stringMatching(/belongs to DEV/)] } } })
    expect(await selfRegistration(authManager, qa, { groupKeys: [UNKNOWN] })).toMatchObject({ status: 400, body: { errors: { groupKeys: expect.any(Array) } } })
    expect(await selfRegistration(authManager, qa, { allowedDomains: ['not a domain'] })).toMatchObject({ status: 400, body: { errors: { allowedDomains: expect.any(Array) } } })
    expect(await selfRegistration(authManager, qa, { enabled: 'yes' })).toMatchObject({ status: 400, body: { errors: { enabled: expect.any(Array) } } })
    expect(await selfRegistration(authManager, qa, { enabled: false, open: true })).toMatchObject({ status: 400 })
    expect(await selfRegistration(authManager, UNKNOWN, { enabled: false })).toMatchObject({ status: 404 })
    expect(await selfRegistration(stageManager, qa, { enabled: false })).toMatchObject({ status: 403 })
    expect(await selfRegistration(null, qa, { enabled: false })).toMatchObject({ status: 401 })
    expect(await snapshot()).toEqual(before)
  })
})
