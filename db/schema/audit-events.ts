import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { actorType } from './enums'

// The append-only audit trail (AUD-1). No foreign keys: events outlive what they describe.
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    actorType: actorType('actor_type').notNull(),
    actorKey: uuid('actor_key'),
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetKey: text('target_key'),
    targetLabel: text('target_label'),
    changes: jsonb('changes').$type<AuditChanges>(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [
    index('audit_events_occurred_idx').on(t.occurredAt, t.id),
    index('audit_events_actor_idx').on(t.actorKey, t.id),
    index('audit_events_action_idx').on(t.action, t.id),
    index('audit_events_target_idx').on(t.targetKey, t.id),
  ],
)

export type AuditChanges = { before?: Record<string, unknown>; after?: Record<string, unknown>; [k: string]: unknown }
export type AuditEvent = typeof auditEvents.$inferSelect
