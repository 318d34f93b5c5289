import 'server-only'
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
  const actor = ctx.actor
  const changes: AuditChanges | null =
    input.before || input.after || input.details ? { before: input.before, after: input.after, ...input.details } : null
  await tx.insert(auditEvents).values({
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
  })
}
