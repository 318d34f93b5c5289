import { json, problems, ref, standardProblems } from './common'
import type { OpenApiFragment, OpenApiParameter } from './types'

const TAG = 'Audit trail'
const PERMISSION = 'org.view_audit'

const filters: OpenApiParameter[] = [
  { name: 'actorContains', in: 'query', description: 'Part of the actor’s label (a member’s email, an API client’s name), any case.', schema: { type: 'string', maxLength: 200 } },
  {
    name: 'action',
    in: 'query',
    description: 'One action, e.g. `api_client.created`; ending in a dot, every action starting so (`api_client.`). GET /audit-events/actions lists them.',
    schema: { type: 'string', maxLength: 100 },
  },
  { name: 'subjectKey', in: 'query', description: 'Events by or about this user, API client or other record: its key as actor or as target.', schema: { type: 'string', format: 'uuid' } },
  { name: 'from', in: 'query', description: 'Events at or after this moment (ISO 8601 with a zone).', schema: { type: 'string', format: 'date-time' } },
  { name: 'to', in: 'query', description: 'Events at or before this moment (ISO 8601 with a zone).', schema: { type: 'string', format: 'date-time' } },
]

const nullableString = { type: 'string', nullable: true }

export const auditSpec: OpenApiFragment = {
  tag: { name: TAG, description: 'Who changed what, when: filter and export.' },
  paths: {
    '/audit-events': {
      get: {
        operationId: 'Audit_ListAuditEvents',
        summary: 'List audit events, newest first, a cursor page at a time',
        description:
          'Pages follow a cursor, not an offset: pass `page.nextCursor` as `cursor` for the next (older) page; it is null on the last. The trail only grows, so paging never skips or repeats an event, and each page costs only its own rows however long the trail. There is no total and no other order. Filters combine with AND.',
        tags: [TAG],
        'x-gatehouse-permission': PERMISSION,
        parameters: [
          ...filters,
          { name: 'cursor', in: 'query', description: 'Opaque: the `nextCursor` of the page before. Absent: the newest events.', schema: { type: 'string' } },
          { name: 'limit', in: 'query', description: 'Events per page, 1–100 (default 100).', schema: { type: 'integer', minimum: 1, maximum: 100, default: 100 } },
        ],
        responses: {
          200: { description: 'A page of events.', content: json(ref('AuditEventPage')) },
          400: problems[400],
          ...standardProblems,
        },
      },
    },
    '/audit-events/export': {
      get: {
        operationId: 'Audit_ExportAuditEvents',
        summary: 'Download the filtered audit events as CSV or NDJSON',
        description:
          'The same filters as the list, newest first, streamed as an attachment. At most 50 000 events per download (the `X-Export-Limit` header): when more match, the oldest are left out — narrow `from`/`to` and download again. CSV: a header row, every field quoted, `changes` as JSON, and a cell starting with = + - @ prefixed with a single quote so spreadsheets do not run it as a formula. NDJSON: one event per line, shaped as in the list.',
        tags: [TAG],
        'x-gatehouse-permission': PERMISSION,
        parameters: [...filters, { name: 'format', in: 'query', description: 'Default `csv`.', schema: { type: 'string', enum: ['csv', 'ndjson'], default: 'csv' } }],
        responses: {
          200: {
            description: 'The events, as an attachment (Content-Disposition).',
            headers: {
              'Content-Disposition': { schema: { type: 'string' }, description: 'attachment; filename="audit-events-<UTC time>.<format>"' },
              'X-Export-Limit': { schema: { type: 'integer' }, description: 'The most events one download holds.' },
            },
            content: { 'text/csv': { schema: { type: 'string' } }, 'application/x-ndjson': { schema: { type: 'string' } } },
          },
          400: problems[400],
          ...standardProblems,
        },
      },
    },
    '/audit-events/actions': {
      get: {
        operationId: 'Audit_ListAuditActions',
        summary: 'The action names recorded so far',
        description: 'Sorted, at most 200: the values the `action` filter takes.',
        tags: [TAG],
        'x-gatehouse-permission': PERMISSION,
        responses: {
          200: {
            description: 'The names.',
            content: json({ type: 'object', required: ['results'], properties: { results: { type: 'array', items: { type: 'string' } } }, additionalProperties: false }),
          },
          ...standardProblems,
        },
      },
    },
  },
  schemas: {
    AuditEvent: {
      type: 'object',
      required: ['id', 'occurredAt', 'actor', 'action', 'target', 'changes', 'ip', 'userAgent'],
      properties: {
        id: { type: 'integer', format: 'int64', description: 'Increases with every event.' },
        occurredAt: { type: 'string', format: 'date-time' },
        actor: {
          type: 'object',
          required: ['type', 'key', 'label'],
          properties: {
            type: { type: 'string', enum: ['user', 'api_client', 'system'] },
            key: { type: 'string', format: 'uuid', nullable: true, description: 'The user’s or API client’s key; null for the system.' },
            label: { type: 'string', description: 'As the actor was known then (email, client name).' },
          },
          additionalProperties: false,
        },
        action: { type: 'string', description: 'What happened, as `area.verb`, e.g. `api_client.secret_rotated`.' },
        target: {
          type: 'object',
          required: ['type', 'key', 'label'],
          properties: { type: { type: 'string', description: 'e.g. user, role, api_client, group.' }, key: nullableString, label: nullableString },
          additionalProperties: false,
        },
        changes: { type: 'object', nullable: true, additionalProperties: true, description: '`before` and `after` (only the fields that changed) and details of the action. Never a secret.' },
        ip: nullableString,
        userAgent: nullableString,
      },
      additionalProperties: false,
    },
    AuditEventPage: {
      type: 'object',
      required: ['results', 'page'],
      properties: {
        results: { type: 'array', items: ref('AuditEvent') },
        page: {
          type: 'object',
          required: ['count', 'limit', 'nextCursor'],
          properties: {
            count: { type: 'integer', format: 'int32' },
            limit: { type: 'integer', format: 'int32' },
            nextCursor: { type: 'string', nullable: true, description: 'Send as `cursor` for the next, older page; null on the last page.' },
          },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
  },
}
