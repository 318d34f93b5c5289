import { queryAuditActions } from '@/lib/api/gatehouse/audit'
import { apiHandler } from '@/lib/api/handler'

// Audit_ListAuditActions.
export const dynamic = 'force-dynamic'

export const GET = apiHandler(async (ctx) => Response.json(await queryAuditActions(ctx)))
