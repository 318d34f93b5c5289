import { auditEventsQuery, queryAuditEvents } from '@/lib/api/gatehouse/audit'
import { apiHandler } from '@/lib/api/handler'
import { parseQuery } from '@/lib/api/query'

// Audit_ListAuditEvents.
export const dynamic = 'force-dynamic'

export const GET = apiHandler(async (ctx, request) => Response.json(await queryAuditEvents(ctx, parseQuery(auditEventsQuery, request))))
