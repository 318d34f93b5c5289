import 'server-only'
import { z } from 'zod'
import type { MailMessage } from '@/db/schema'
import { requirePermission } from '../authz'
import { withTransaction, type Ctx } from '../context'
import { parse } from '../validation'
import { listOutbox } from './outbox'

const schema = z.object({ before: z.coerce.number().int().positive().optional().catch(undefined) })

/** The development mailbox (MAIL-1): mail that was not delivered because no SMTP server is set. */
export async function listMailbox(ctx: Ctx, input: unknown): Promise<{ rows: MailMessage[]; next: number | null }> {
  const { before } = parse(schema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage')
    const rows = await listOutbox(tx, before, 26)
    const page = rows.slice(0, 25)
    return { rows: page, next: rows.length > 25 ? page[page.length - 1].id : null }
  })
}
