import { eq } from 'drizzle-orm'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { mailOutbox } from '@/db/schema'
import { configureSelfRegistration } from '@/lib/hosted/hosted-test-support'
import { signUp } from '@/lib/hosted/sign-up'
import { inviteMember } from '@/lib/users/invite-member'
import { roleKeyOf } from '@/test/factories'
import { ADMIN, anonymous, setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { deliverPendingMail, isMailDelivered } from './outbox'

type Received = { to: string[]; raw: string }

// A real SMTP round trip on loopback: the invitation leaves through nodemailer and arrives with
// its code and link; the outbox row keeps no copy of the secret once it is sent (MAIL-1).
describe('mail delivery through SMTP', () => {
  useTestDatabase()
  const inbox: Received[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') })
        callback()
      })
    },
  })

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.server.address() as { port: number }
    // Read once per test file by lib/env.ts, before any mail is sent.
    process.env.SMTP_URL = `smtp://127.0.0.1:${port}`
    process.env.MAIL_FROM = 'Gatehouse <gatehouse@acme.test>'
  })
  afterAll(async () => {
    delete process.env.SMTP_URL
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  it('delivers the invitation with its code and link, then erases the stored body', async () => {
    expect(await isMailDelivered()).toBe(true)
    const { admin } = await setupOrganization()
    const email = uniqueEmail('smtp')
    await inviteMember(admin, { email, roleKey: await roleKeyOf('Developer') })
    const db = await getDb()
    const [queued] = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email))
    const code = /code: (\d{6})/.exec(queued.textBody ?? '')?.[1]
    const link = /(http\S+\/invite\/[\w-]+)/.exec(queued.textBody ?? '')?.[1]
    expect(code).toMatch(/^\d{6}$/)

    // Delivery normally starts right after the commit; run it here to the end.
    while ((await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email)))[0].sentAt === null) await deliverPendingMail()

    const message = inbox.find((m) => m.to.includes(email))
    expect(message).toBeDefined()
    const body = message!.raw.replace(/=\r?\n/g, '')
    expect(body).toContain('Subject: You are invited to Acme')
    expect(body).toContain('From: Gatehouse <gatehouse@acme.test>')
    expect(body).toContain(code!)
    expect(body).toContain(link!)

    const [sent] = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email))
    expect(sent.sentAt).not.toBeNull()
    expect(sent.textBody).toBeNull()
    expect(sent.htmlBody).toBeNull()
  })

  async function deliveredTo(email: string, subject: RegExp): Promise<string> {
    const db = await getDb()
    while ((await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email))).some((m) => m.sentAt === null)) await deliverPendingMail()
    const message = inbox.filter((m) => m.to.includes(email)).find((m) => subject.test(m.raw))
    expect(message, `a message to ${email} matching ${subject}`).toBeDefined()
    return message!.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=')
  }

  it('delivers the sign-up code with a link that fills in the email, and tells an existing account it has one', async () => {
    const qa = await configureSelfRegistration('QA')
    const email = uniqueEmail('signup')
    await signUp(anonymous(), { stageKey: qa, name: 'Sid Signup', email })
    const body = await deliveredTo(email, /Subject: Your Acme sign-up code: \d{6}/)
    const code = /Subject: Your Acme sign-up code: (\d{6})/.exec(body)![1]
    expect(body).toContain(`finish signing up to Acme (QA): ${code}`)
    expect(body).toContain(`/s/QA/verify?email=${encodeURIComponent(email)}`)
    expect(body).toMatch(/expires in 15 minutes/)

    await signUp(anonymous(), { stageKey: qa, name: 'Somebody', email: ADMIN.email })
    const notice = await deliveredTo(ADMIN.email, /Subject: You already have an account with Acme/)
    expect(notice).toContain('/s/QA/sign-in')
    expect(notice).toContain('/s/QA/forgot-password')
    expect(notice).not.toMatch(/code: \d{6}/)
  })
})
