import 'server-only'
import { and, desc, eq, gte, lt, lte, or, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { auditEvents, type AuditEvent } from '@/db/schema'
import { requirePermission } from '../authz'
import { withTransaction, type Ctx } from '../context'
import { escapeLike, parse } from '../validation'

const optionalDate = z
  .string()
  .trim()
  .max(40)
  .optional()
  .transform((v, c) => {
    if (!v) return undefined
    const d = new Date(v)
    if (Number.isNaN(d.getTime())) {
      c.addIssue({ code: 'custom', message: 'Enter a valid date and time.' })
      return z.NEVER
    }
    return d
  })

export const listAuditSchema = z.object({
  actor: z.string().trim().max(200).optional().default(''),
  action: z.string().trim().max(100).optional().default(''),
  from: optionalDate,
  to: optionalDate,
  // Events about or by one user or other record (the Activity tab of a user).
  subject: z.uuid().optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
  perPage: z.coerce.number().int().catch(50).transform((n) => Math.min(100, Math.max(10, n))).default(50),
})

export type AuditPage = { rows: AuditEvent[]; next: number | null }

/** The audit trail (UI-11), newest first, keyset-paginated by id. */
export async function listAuditEvents(ctx: Ctx, input: unknown): Promise<AuditPage> {
  const p = parse(listAuditSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'org.view_audit')
    const filters: (SQL | undefined)[] = []
    if (p.actor) filters.push(sql`lower(${auditEvents.actorLabel}) like ${'%' + escapeLike(p.actor.toLowerCase()) + '%'}`)
    if (p.action) filters.push(p.action.endsWith('.') ? sql`${auditEvents.action} like ${escapeLike(p.action) + '%'}` : eq(auditEvents.action, p.action))
    if (p.from) filters.push(gte(auditEvents.occurredAt, p.from))
    if (p.to) filters.push(lte(auditEvents.occurredAt, p.to))
    if (p.subject) filters.push(or(eq(auditEvents.targetKey, p.subject), eq(auditEvents.actorKey, p.subject)))
    if (p.before) filters.push(lt(auditEvents.id, p.before))
    const rows = await tx.select().from(auditEvents).where(and(...filters)).orderBy(desc(auditEvents.id)).limit(p.perPage + 1)
    const more = rows.length > p.perPage
    const page = rows.slice(0, p.perPage)
    return { rows: page, next: more ? page[page.length - 1].id : null }
  })
}

/** Distinct action names for the filter menu. */
export async function listAuditActions(ctx: Ctx): Promise<string[]> {
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'org.view_audit')
    const rows = await tx.selectDistinct({ action: auditEvents.action }).from(auditEvents).orderBy(auditEvents.action).limit(200)
    return rows.map((r) => r.action)
  })
}
