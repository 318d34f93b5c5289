import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { auditEvents, organizations } from '@/db/schema'
import { exportAuditEvents } from '@/lib/api/gatehouse/audit'
import { insertApiClient, setApiClientSuspended, type TestApiClient, tokenFor } from '@/lib/api/testing'
import { type Ctx } from '@/lib/context'
import { expectGatehouseConforms } from '@/test/contract'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { GET as actionsRoute } from './actions/route'
import { GET as exportRoute } from './export/route'
import { GET as listRoute } from './route'

const BASE = 'http://localhost:3000/api/gatehouse/v1/audit-events'
type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
type Handler = (request: Request, context: { params: Promise<Record<string, never>> }) => Promise<Response>

async function call(operationId: string, handler: Handler, token: string | null, path: string) {
  const response = await handler(new Request(`${BASE}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }), { params: Promise.resolve({}) })
  const { status, headers } = response
  return { status, headers, body: (await expectGatehouseConforms(operationId, response)) as Json }
}
const list = (token: string | null, query = '') => call('Audit_ListAuditEvents', listRoute, token, query)
const download = (token: string | null, query = '') => call('Audit_ExportAuditEvents', exportRoute, token, `/export${query}`)
const actions = (token: string | null) => call('Audit_ListAuditActions', actionsRoute, token, '/actions')

/** Parses our CSV (every field quoted, CRLF rows). */
function parseCsv(text: string): string[][] {
  return text
    .split('\r\n')
    .filter(Boolean)
    .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"(?:,|$)/g)].map((m) => m[1].replace(/""/g, '"')))
}

const T0 = Date.parse('2026-01-01T00:00:00Z')
const HOUR = 3_600_000

describe('/api/gatehouse/v1/audit-events', () => {
  useTestDatabase()
  let auditor: string
  let outsider: string
  let auditorClient: TestApiClient
  const subject = randomUUID()
  let firstSeeded = 0

  beforeAll(async () => {
    await setupOrganization()
    const db = await getDb()
    await db.update(organizations).set({ apiRateLimit: 100_000 })
    auditorClient = await insertApiClient({ name: 'Audit reader', permissions: [{ slug: 'org.view_audit' }] })
    auditor = await tokenFor(auditorClient)
    outsider = await tokenFor(await insertApiClient({ name: 'Not an auditor', permissions: [{ slug: 'users.view_members' }] }))
    // 250 events an hour apart in 2026, oldest first; every tenth is about `subject`, every fifth is by Mallory.
    const rows = Array.from({ length: 250 }, (_, i) => ({
      occurredAt: new Date(T0 + i * HOUR),
      actorType: 'user' as const,
      actorKey: i % 5 === 0 ? null : randomUUID(),
      actorLabel: i % 5 === 0 ? `mallory${i}@acme.test` : `ann${i}@acme.test`,
      action: i % 2 ? 'seed.odd' : 'seed.even',
      targetType: 'user',
      targetKey: i % 10 === 0 ? subject : randomUUID(),
      targetLabel: i === 249 ? '=HYPERLINK("http://evil.test","click")' : `target ${i}`,
      changes: i === 249 ? { before: { name: 'a, "b"' }, after: { name: 'line\nbreak' } } : null,
      ip: '203.0.113.9',
      userAgent: 'seed',
    }))
    const inserted = await db.insert(auditEvents).values(rows).returning({ id: auditEvents.id })
    firstSeeded = inserted[0].id
  })

  it('pages newest first by cursor until nextCursor is null, never repeating an event', async () => {
    const seen: number[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const { status, body } = await list(auditor, `?action=seed.&limit=100${cursor ? `&cursor=${cursor}` : ''}`)
      expect(status).toBe(200)
      expect(body.page).toEqual({ count: body.results.length, limit: 100, nextCursor: body.page.nextCursor })
      expect(body.page.nextCursor === null || /^\d+$/.test(body.page.nextCursor)).toBe(true)
      seen.push(...body.results.map((e: Json) => e.id))
      cursor = body.page.nextCursor
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    expect(seen).toHaveLength(250)
    expect(seen).toEqual([...seen].sort((a, b) => b - a))
    expect(seen.at(-1)).toBe(firstSeeded)

    const { body } = await list(auditor, '?action=seed.odd&limit=1')
    expect(body.results[0]).toEqual({
      id: firstSeeded + 249,
      occurredAt: new Date(T0 + 249 * HOUR).toISOString(),
      actor: { type: 'user', key: expect.any(String), label: 'ann249@acme.test' },
      action: 'seed.odd',
      target: { type: 'user', key: expect.any(String), label: '=HYPERLINK("http://evil.test","click")' },
      changes: { before: { name: 'a, "b"' }, after: { name: 'line\nbreak' } },
      ip: '203.0.113.9',
      userAgent: 'seed',
    })
    // Limits under the use case's smallest page still page correctly.
    const small = await list(auditor, '?action=seed.odd&limit=3')
    expect(small.body.results.map((e: Json) => e.id)).toEqual([249, 247, 245].map((i) => firstSeeded + i))
    const next = await list(auditor, `?action=seed.odd&limit=3&cursor=${small.body.page.nextCursor}`)
    expect(next.body.results.map((e: Json) => e.id)).toEqual([243, 241, 239].map((i) => firstSeeded + i))
    const end = await list(auditor, `?action=seed.odd&cursor=${firstSeeded}`)
    expect(end.body).toEqual({ results: [], page: { count: 0, limit: 100, nextCursor: null } })
  })

  it('filters by actor, exact action, subject and time range, combined', async () => {
    const ids = async (query: string) => (await list(auditor, query)).body.results.map((e: Json) => e.id - firstSeeded)
    expect(await ids('?actorContains=MALLORY2&action=seed.even')).toEqual([240, 230, 220, 210, 200, 20])
    expect(await ids(`?subjectKey=${subject}&from=2026-01-09T00:00:00Z`)).toEqual([240, 230, 220, 210, 200])
    expect(await ids(`?action=seed.even&from=${new Date(T0 + 10 * HOUR).toISOString()}&to=2026-01-01T14:00:00%2B02:00`)).toEqual([12, 10])
    expect(await ids(`?subjectKey=${auditorClient.key}`)).toEqual([])
    expect(await ids('?action=seed')).toEqual([])
  })

  it('refuses bad parameters (400), no token (401), no View audit trail (403)', async () => {
    for (const query of ['?limit=0', '?limit=101', '?cursor=abc', '?cursor=0', '?subjectKey=nope', '?from=2026-01-01', '?to=yesterday', '?actorContains=' + 'x'.repeat(201)])
      expect(await list(auditor, query), query).toMatchObject({ status: 400, body: { errorCode: 'GH-GH-VAL-40001' } })
    expect(await list(null)).toMatchObject({ status: 401 })
    expect(await list(outsider)).toMatchObject({ status: 403, body: { errorCode: 'GH-GH-PERM-40301' } })
  })

  it('lists the action names recorded so far', async () => {
    const { status, body } = await actions(auditor)
    expect(status).toBe(200)
    expect(body.results).toEqual(expect.arrayContaining(['seed.even', 'seed.odd']))
    expect(body.results).toEqual([...body.results].sort())
    expect(await actions(outsider)).toMatchObject({ status: 403 })
    expect(await actions(null)).toMatchObject({ status: 401 })
  })

  it('exports CSV as an attachment, in batches, with quoting and the formula guard', async () => {
    const { status, headers, body } = await download(auditor, '?action=seed.')
    expect(status).toBe(200)
    expect(headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(headers.get('content-disposition')).toMatch(/^attachment; filename="audit-events-\d{8}-\d{6}\.csv"$/)
    const rows = parseCsv(body as unknown as string)
    expect(rows[0]).toEqual(['id', 'occurredAt', 'actorType', 'actorKey', 'actorLabel', 'action', 'targetType', 'targetKey', 'targetLabel', 'changes', 'ip', 'userAgent'])
    expect(rows).toHaveLength(251)
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(Array.from({ length: 250 }, (_, i) => firstSeeded + 249 - i))
    const newest = rows[1]
    expect(newest[8]).toBe(`'=HYPERLINK("http://evil.test","click")`)
    expect(JSON.parse(newest[9])).toEqual({ before: { name: 'a, "b"' }, after: { name: 'line\nbreak' } })
    const oldest = rows[250]
    expect([oldest[1], oldest[3], oldest[4], oldest[5]]).toEqual([new Date(T0).toISOString(), '', 'mallory0@acme.test', 'seed.even'])
  })

  it('exports NDJSON with the filters; one event per line, shaped as in the list', async () => {
    const { status, headers, body } = await download(auditor, `?format=ndjson&subjectKey=${subject}&to=2026-01-02T00:00:00Z`)
    expect(status).toBe(200)
    expect(headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8')
    const lines = (body as unknown as string).trimEnd().split('\n').map((l) => JSON.parse(l))
    expect(lines.map((e) => e.id - firstSeeded)).toEqual([20, 10, 0])
    expect(lines[0]).toEqual((await list(auditor, `?subjectKey=${subject}&to=2026-01-02T00:00:00Z&limit=1`)).body.results[0])
  })

  it('export: problems before the first byte (400, 401, 403), a cap, and a client suspended mid-export gets no more pages', async () => {
    expect(await download(auditor, '?format=xlsx')).toMatchObject({ status: 400 })
    expect(await download(auditor, '?from=soon')).toMatchObject({ status: 400 })
    expect(await download(outsider)).toMatchObject({ status: 403 })
    expect(await download(null)).toMatchObject({ status: 401 })

    const ctx: Ctx = { actor: { type: 'api_client', clientKey: auditorClient.key, label: 'Audit reader' } }
    const capped = await exportAuditEvents(ctx, { action: 'seed.', format: 'ndjson' }, 120)
    expect(capped.headers.get('x-export-limit')).toBe('120')
    expect((await capped.text()).trimEnd().split('\n')).toHaveLength(120)

    const streaming = await exportAuditEvents(ctx, { action: 'seed.', format: 'ndjson' })
    // Each page after the first is read only once the consumer has taken the one before.
    await setApiClientSuspended(auditorClient.key, true)
    const reader = streaming.body!.getReader()
    const first = await reader.read()
    expect(new TextDecoder().decode(first.value).trimEnd().split('\n')).toHaveLength(100)
    await expect(async () => {
      for (;;) if ((await reader.read()).done) break
    }).rejects.toThrow(/suspended/)
    await setApiClientSuspended(auditorClient.key, false)
  })
})
