import { auditExportQuery, exportAuditEvents } from '@/lib/api/gatehouse/audit'
import { apiHandler } from '@/lib/api/handler'
import { parseQuery } from '@/lib/api/query'

// Audit_ExportAuditEvents.
export const dynamic = 'force-dynamic'

export const GET = apiHandler(async (ctx, request) => exportAuditEvents(ctx, parseQuery(auditExportQuery, request)))
