import { eq } from 'drizzle-orm'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { mailOutbox } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { deliverPendingMail, isMailDelivered } from '@/lib/mail/outbox'
import { mailDelivery } from '@/lib/mail/transport'
import { setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { removeEmailSettings } from './remove-email-settings'
import { saveEmailSettings } from './save-email-settings'
import { sendTestEmail } from './send-test-email'

// Without SMTP_URL (MAIL-1): mail waits in the outbox until an SMTP server is saved in the
// settings, and then leaves through it; the portal's banner follows isMailDelivered().
describe('from the development mailbox to a saved SMTP server', () => {
  useTestDatabase()
  const received: string[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      stream.on('data', () => {})
      stream.on('end', () => {
        received.push(...session.envelope.rcptTo.map((r) => r.address))
        callback()
      })
    },
  })
  let admin: Ctx

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    delete process.env.SMTP_URL
    ;({ admin } = await setupOrganization())
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('keeps mail in the outbox while no server is configured, and says so', async () => {
    expect(await mailDelivery()).toBe('outbox')
    expect(await isMailDelivered()).toBe(false)
    const to = uniqueEmail('outbox')
    expect(await sendTestEmail(admin, { to })).toEqual({ delivered: false, via: 'outbox' })
    const db = await getDb()
    const [queued] = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, to))
    expect(queued).toMatchObject({ template: 'test', sentAt: null, subject: 'Test email from Acme' })
    expect(await deliverPendingMail()).toBe(0)
  })

  it('delivers the waiting mail once a server is saved (no authentication), and stops when it is removed', async () => {
    const { port } = server.server.address() as { port: number }
    await saveEmailSettings(admin, { host: 'localhost', port, security: 'none', fromName: '', fromAddress: 'Mail@Acme.test' })
    expect(await isMailDelivered()).toBe(true)
    expect(await deliverPendingMail()).toBeGreaterThan(0)
    const db = await getDb()
    expect((await db.select().from(mailOutbox)).every((m) => m.sentAt !== null && m.textBody === null)).toBe(true)
    expect(received.length).toBeGreaterThan(0)

    await removeEmailSettings(admin)
    expect(await isMailDelivered()).toBe(false)
  })
})
