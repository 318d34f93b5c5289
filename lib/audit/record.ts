import 'server-only'
import { sql } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { auditEvents, type AuditChanges } from '@/db/schema'
import { nowOf, type Ctx } from '../context'

export type AuditInput = {
  action: string
  target: { type: string; key?: string | null; label?: string | null }
  before?: Record<string, unknown>
  after?: Record<string, unknown>
  details?: Record<string, unknown>
}

/** Only the fields that changed, so the trail reads as a diff (AUD-1). */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>) {
  const b: Record<string, unknown> = {}
  const a: Record<string, unknown> = {}
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) {
      b[k] = before[k] ?? null
      a[k] = after[k] ?? null
    }
  }
  return { before: b, after: a }
}

/** Writes the audit event on the caller's transaction, so it commits or rolls back with the change. */
export async function audit(tx: Tx, ctx: Ctx, input: AuditInput): Promise<void> {
  await tx.insert(auditEvents).values(auditRow(ctx, input))
}

/**
 * Several events of one actor in one statement (bulk work), on the caller's transaction like
 * `audit`. The events travel as one JSON parameter: a VALUES list of a dozen parameters per event
 * costs more to build and bind than the insert itself.
 */
export async function auditMany(tx: Tx, ctx: Ctx, inputs: AuditInput[]): Promise<void> {
  if (!inputs.length) return
  const rows = inputs.map((input) => auditRow(ctx, input))
  const [first] = rows
  // JSON.stringify leaves out undefined: a missing `changes` is SQL null, as `audit` writes it.
  const events = rows.map((r) => ({ action: r.action, target_type: r.targetType, target_key: r.targetKey, target_label: r.targetLabel, changes: r.changes ?? undefined }))
  await tx.execute(sql`
    insert into ${auditEvents} (occurred_at, actor_type, actor_key, actor_label, action, target_type, target_key, target_label, changes, ip, user_agent)
    select ${first.occurredAt}::timestamptz, ${first.actorType}::actor_type, ${first.actorKey}::uuid, ${first.actorLabel}::text,
      e.action, e.target_type, e.target_key, e.target_label, e.changes, ${first.ip}::text, ${first.userAgent}::text
    from jsonb_to_recordset(${JSON.stringify(events)}::jsonb) as e(action text, target_type text, target_key text, target_label text, changes jsonb)`)
}

function auditRow(ctx: Ctx, input: AuditInput) {
  const actor = ctx.actor
  const changes: AuditChanges | null =
    input.before || input.after || input.details ? { before: input.before, after: input.after, ...input.details } : null
  return {
    occurredAt: nowOf(ctx),
    actorType: actor?.type ?? 'system',
    actorKey: actor?.type === 'user' ? actor.userKey : actor?.type === 'api_client' ? actor.clientKey : null,
    actorLabel: actor?.label ?? 'anonymous',
    action: input.action,
    targetType: input.target.type,
    targetKey: input.target.key ?? null,
    targetLabel: input.target.label ?? null,
    changes,
    ip: ctx.ip ?? null,
    userAgent: ctx.userAgent?.slice(0, 512) ?? null,
  } satisfies typeof auditEvents.$inferInsert
}
