import 'server-only'
import { z } from 'zod'
import type { AuditEvent } from '@/db/schema'
import { nowOf, type Ctx } from '../../context'
import { listAuditActions, listAuditEvents, type AuditPage } from '../../audit/list-audit-events'
import { logger } from '../../logger'
import { limitParam, querySchema } from '../query'

// The audit trail through the Gatehouse API (AUD-1, UI-11) over lib/audit/list-audit-events, which
// checks View audit trail and pages newest first by a keyset on the event id: the trail only
// grows, so a cursor never skips or repeats an event, and no page costs more than its own rows.
// There is no offset (it would read every skipped row) and no total (it would count them all).

const dateTime = (name: string) =>
  z
    .string()
    .pipe(z.iso.datetime({ offset: true, error: `${name} must be an ISO 8601 date-time with a zone, like 2026-05-01T00:00:00Z.` }))
    .optional()

const filters = {
  actorContains: z.string().max(200, 'At most 200 characters.').optional(),
  action: z.string().max(100, 'At most 100 characters.').optional(),
  subjectKey: z.uuid({ error: 'Not a valid key.' }).optional(),
  from: dateTime('from'),
  to: dateTime('to'),
}

export const auditEventsQuery = querySchema({
  ...filters,
  cursor: z.string().regex(/^[1-9]\d{0,14}$/, 'cursor must be a nextCursor from an earlier page.').optional(),
  limit: limitParam,
})

export const auditExportQuery = querySchema({
  ...filters,
  format: z.enum(['csv', 'ndjson'], { error: 'format must be csv or ndjson.' }).default('csv'),
})

type Filters = { actorContains?: string; action?: string; subjectKey?: string; from?: string; to?: string }

/** The portal's filter names, which the use case reads. */
const portalFilters = (q: Filters) => ({ actor: q.actorContains, action: q.action, subject: q.subjectKey, from: q.from, to: q.to })

export function auditEventOut(e: AuditEvent) {
  return {
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    actor: { type: e.actorType, key: e.actorKey, label: e.actorLabel },
    action: e.action,
    target: { type: e.targetType, key: e.targetKey, label: e.targetLabel },
    changes: e.changes ?? null,
    ip: e.ip,
    userAgent: e.userAgent,
  }
}

/** GET /audit-events: one page, newest first, and the cursor of the next one (null on the last). */
export async function queryAuditEvents(ctx: Ctx, query: z.infer<typeof auditEventsQuery.schema>) {
  // The use case serves pages of 10 to 100; a smaller limit is cut from its page here.
  const page = await listAuditEvents(ctx, { ...portalFilters(query), before: query.cursor, perPage: query.limit })
  const rows = page.rows.slice(0, query.limit)
  const more = page.rows.length > query.limit || page.next !== null
  return { results: rows.map(auditEventOut), page: { count: rows.length, limit: query.limit, nextCursor: more ? String(rows[rows.length - 1].id) : null } }
}

/** GET /audit-events/actions: the action names recorded so far, sorted (at most 200). */
export async function queryAuditActions(ctx: Ctx) {
  return { results: await listAuditActions(ctx) }
}

/** At most this many events per export (as many as the portal's daily export allowance). */
export const EXPORT_MAX_EVENTS = 50_000
const BATCH = 100

const CSV_COLUMNS = ['id', 'occurredAt', 'actorType', 'actorKey', 'actorLabel', 'action', 'targetType', 'targetKey', 'targetLabel', 'changes', 'ip', 'userAgent']

/** One CSV field: always quoted; a leading = + - @ (or tab, CR) is defused so spreadsheets show it as text. */
export function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value)
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
  return `"${safe.replace(/"/g, '""')}"`
}

function csvLine(e: AuditEvent): string {
  const cells = [e.id, e.occurredAt.toISOString(), e.actorType, e.actorKey, e.actorLabel, e.action, e.targetType, e.targetKey, e.targetLabel, e.changes ? JSON.stringify(e.changes) : null, e.ip, e.userAgent]
  return cells.map(csvCell).join(',') + '\r\n'
}

const ndjsonLine = (e: AuditEvent) => JSON.stringify(auditEventOut(e)) + '\n'

/**
 * GET /audit-events/export: the filtered events, newest first, streamed a page at a time so memory
 * holds one page whatever the trail's size. The first page is read before answering, so a missing
 * permission or a bad filter is still a problem response; each later page is read when the
 * consumer wants more, in its own transaction, with the client's state and permission checked
 * again (a client suspended mid-export gets no more pages).
 */
export async function exportAuditEvents(ctx: Ctx, query: z.infer<typeof auditExportQuery.schema>, maxEvents = EXPORT_MAX_EVENTS): Promise<Response> {
  const input = portalFilters(query)
  const read = (before?: number) => listAuditEvents({ ...ctx, tx: undefined, principal: undefined }, { ...input, before, perPage: BATCH })
  let page: AuditPage | null = await read()
  let sent = 0
  const line = query.format === 'csv' ? csvLine : ndjsonLine
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (query.format === 'csv') controller.enqueue(encoder.encode(CSV_COLUMNS.map(csvCell).join(',') + '\r\n'))
    },
    async pull(controller) {
      if (!page) return controller.close()
      const rows = page.rows.slice(0, maxEvents - sent)
      if (rows.length) controller.enqueue(encoder.encode(rows.map(line).join('')))
      sent += rows.length
      try {
        page = page.next !== null && sent < maxEvents ? await read(page.next) : null
      } catch (error) {
        logger.error('audit export stopped', { sent, error })
        controller.error(error)
      }
    },
  })
  const stamp = nowOf(ctx).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')
  const file = `audit-events-${stamp}.${query.format}`
  return new Response(body, {
    headers: {
      'Content-Type': query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'Content-Disposition': `attachment; filename="${file}"`,
      'X-Export-Limit': String(maxEvents),
    },
  })
}
