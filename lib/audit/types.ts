// Types the UI may import without touching the database layer.
export type { AuditEvent, AuditChanges } from '@/db/schema/audit-events'
