import { eq } from 'drizzle-orm'
import { SMTPServer, type SMTPServerOptions } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { auditEvents, emailSettings, mailOutbox } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { decryptSecret } from '@/lib/crypto/secrets'
import { ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors'
import { deliverPendingMail, isMailDelivered } from '@/lib/mail/outbox'
import { EMAIL_PASSWORD_CONTEXT, mailDelivery } from '@/lib/mail/transport'
import { inviteMember } from '@/lib/users/invite-member'
import { auditRows, createMember, createRole, roleKeyOf, rowCounts, type Member } from '@/test/factories'
import { setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { getSettings } from './get-settings'
import { removeEmailSettings } from './remove-email-settings'
import { saveEmailSettings } from './save-email-settings'
import { sendTestEmail } from './send-test-email'

type Received = { to: string[]; raw: string; user?: string }

const PASSWORD = 'Smtp-Pässword-7f3!'

/** An SMTP server on loopback that keeps what it receives; `echoPassword` makes a careless one that repeats a wrong password in its error. */
function smtpServer(options: Partial<SMTPServerOptions> & { echoPassword?: boolean } = {}) {
  const inbox: Received[] = []
  const { echoPassword, ...rest } = options
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === 'mailer' && auth.password === PASSWORD) return callback(null, { user: 'mailer' })
      callback(new Error(echoPassword ? `Wrong password ${auth.password} for ${auth.username}` : 'Invalid username or password'))
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8'), user: session.user as string | undefined })
        callback()
      })
    },
    ...rest,
  })
  return {
    inbox,
    port: () => (server.server.address() as { port: number }).port,
    start: () => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

const body = (m: Received | undefined) => m?.raw.replace(/=\r?\n/g, '') ?? ''

describe('email delivery through saved SMTP settings', () => {
  useTestDatabase()
  // SMTP_URL points at one server, the saved settings at another: which one a message reaches
  // shows which configuration delivered it.
  const fromUrl = smtpServer({ authOptional: true })
  const saved = smtpServer({ authOptional: false })
  const careless = smtpServer({ authOptional: false, echoPassword: true })
  let admin: Ctx
  let emailAdmin: Member
  let developer: Member
  let orgManager: Member

  const settingsFor = (port: number, over: Record<string, unknown> = {}) => ({
    host: '127.0.0.1',
    port: String(port),
    security: 'none',
    username: 'mailer',
    password: PASSWORD,
    fromName: 'Acme Mail',
    fromAddress: 'mail@acme.test',
    ...over,
  })

  beforeAll(async () => {
    await Promise.all([fromUrl.start(), saved.start(), careless.start()])
    // Read once per test file by lib/env.ts, before any mail is sent.
    process.env.SMTP_URL = `smtp://127.0.0.1:${fromUrl.port()}`
    process.env.MAIL_FROM = 'Gatehouse <gatehouse@acme.test>'
    ;({ admin } = await setupOrganization())
    await createRole('Email admin', [{ slug: 'config.email' }])
    await createRole('Organization manager', [{ slug: 'org.manage' }])
    emailAdmin = await createMember(admin, { role: 'Email admin' })
    orgManager = await createMember(admin, { role: 'Organization manager' })
    developer = await createMember(admin)
    await deliverPendingMail()
  })
  afterAll(async () => {
    delete process.env.SMTP_URL
    await Promise.all([fromUrl.stop(), saved.stop(), careless.stop()])
  })

  it('uses SMTP_URL while nothing is saved, and says so', async () => {
    expect(await mailDelivery()).toBe('environment')
    expect(await isMailDelivered()).toBe(true)
    const view = (await getSettings(emailAdmin.ctx())).email
    expect(view).toEqual({ delivery: 'environment', saved: null, environment: { server: `smtp://127.0.0.1:${fromUrl.port()}`, from: 'Gatehouse <gatehouse@acme.test>' } })
    const to = uniqueEmail('via-url')
    expect(await sendTestEmail(emailAdmin.ctx(), { to })).toEqual({ delivered: true, via: 'environment' })
    expect(body(fromUrl.inbox.find((m) => m.to.includes(to)))).toContain('From: Gatehouse <gatehouse@acme.test>')
  })

  it('saves the server with the password encrypted at rest, never shown and never audited', async () => {
    const view = await saveEmailSettings(emailAdmin.ctx(), settingsFor(saved.port()))
    expect(view).toMatchObject({ host: '127.0.0.1', port: saved.port(), security: 'none', username: 'mailer', passwordStored: true, fromName: 'Acme Mail', fromAddress: 'mail@acme.test' })
    expect(JSON.stringify(view)).not.toContain(PASSWORD)

    const db = await getDb()
    const [row] = await db.select().from(emailSettings)
    expect(row.passwordEncrypted).toMatch(/^v1\./)
    expect(row.passwordEncrypted).not.toContain(PASSWORD)
    expect(decryptSecret(row.passwordEncrypted!, EMAIL_PASSWORD_CONTEXT)).toBe(PASSWORD)
    expect(row.updatedBy).toBe(emailAdmin.userKey)

    const [event] = await auditRows('email_settings.created')
    expect(event).toMatchObject({ actorKey: emailAdmin.userKey, targetType: 'email_settings', targetLabel: `127.0.0.1:${saved.port()}` })
    expect(event.changes).toEqual({ after: { host: '127.0.0.1', port: saved.port(), security: 'none', username: 'mailer', passwordStored: true, fromName: 'Acme Mail', fromAddress: 'mail@acme.test' } })
    const allAudit = JSON.stringify(await db.select().from(auditEvents))
    expect(allAudit).not.toContain(PASSWORD)
    expect(allAudit).not.toContain(row.passwordEncrypted!)

    const settings = await getSettings(emailAdmin.ctx())
    expect(settings.email?.delivery).toBe('settings')
    expect(JSON.stringify(settings)).not.toContain(row.passwordEncrypted!)
  })

  it('sends the test email through the saved server, signed in with the stored password', async () => {
    const to = uniqueEmail('test-mail')
    expect(await sendTestEmail(emailAdmin.ctx(), { to })).toEqual({ delivered: true, via: 'settings' })
    const message = saved.inbox.find((m) => m.to.includes(to))
    expect(message?.user).toBe('mailer')
    expect(body(message)).toContain('From: Acme Mail <mail@acme.test>')
    expect(body(message)).toContain('Subject: Test email from Acme')
    expect(fromUrl.inbox.some((m) => m.to.includes(to))).toBe(false)
    const events = await auditRows('email_settings.test_sent')
    expect(events.map((e) => e.changes)).toContainEqual({ to, via: 'settings' })
  })

  it('delivers every other email through the saved server too', async () => {
    const email = uniqueEmail('invitee')
    await inviteMember(admin, { email, roleKey: await roleKeyOf('Developer') })
    const db = await getDb()
    while ((await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email)))[0].sentAt === null) await deliverPendingMail()
    expect(body(saved.inbox.find((m) => m.to.includes(email)))).toContain('Subject: You are invited to Acme')
    expect(fromUrl.inbox.some((m) => m.to.includes(email))).toBe(false)
  })

  it('keeps the stored password when the field is left blank, replaces it when one is typed, drops it without a username', async () => {
    const db = await getDb()
    const [before] = await db.select().from(emailSettings)
    await saveEmailSettings(emailAdmin.ctx(), settingsFor(saved.port(), { password: '', fromName: 'Acme Notifications' }))
    const [kept] = await db.select().from(emailSettings)
    expect(kept.passwordEncrypted).toBe(before.passwordEncrypted)
    const [renamed] = await auditRows('email_settings.updated')
    expect(renamed.changes).toEqual({ before: { fromName: 'Acme Mail' }, after: { fromName: 'Acme Notifications' } })

    await saveEmailSettings(emailAdmin.ctx(), settingsFor(saved.port(), { password: 'Another-Secret-1', fromName: 'Acme Notifications' }))
    const [replaced] = await db.select().from(emailSettings)
    expect(replaced.passwordEncrypted).not.toBe(before.passwordEncrypted)
    expect(decryptSecret(replaced.passwordEncrypted!, EMAIL_PASSWORD_CONTEXT)).toBe('Another-Secret-1')
    const events = await auditRows('email_settings.updated')
    expect(events[events.length - 1].changes).toEqual({ before: {}, after: {}, passwordReplaced: true })
    expect(JSON.stringify(events)).not.toContain('Another-Secret-1')

    await saveEmailSettings(emailAdmin.ctx(), settingsFor(saved.port(), { username: '', password: '' }))
    const [anonymousServer] = await db.select().from(emailSettings)
    expect(anonymousServer).toMatchObject({ username: null, passwordEncrypted: null })

    await saveEmailSettings(emailAdmin.ctx(), settingsFor(saved.port()))
  })

  it('reports a refused sign-in with the server’s words but never the password, and does not retry the test email', async () => {
    await saveEmailSettings(emailAdmin.ctx(), settingsFor(careless.port(), { password: 'Wrong-Secret-99' }))
    const to = uniqueEmail('refused')
    const result = await sendTestEmail(emailAdmin.ctx(), { to })
    expect(result).toMatchObject({ delivered: false, via: 'settings' })
    const error = (result as { error: string }).error
    expect(error).toMatch(/Wrong password \[redacted\] for mailer/)
    expect(error).not.toContain('Wrong-Secret-99')
    const db = await getDb()
    expect(await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, to))).toEqual([])
    expect(careless.inbox).toHaveLength(0)
  })

  it('refuses to send the password without STARTTLS when STARTTLS is asked for', async () => {
    await saveEmailSettings(emailAdmin.ctx(), settingsFor(saved.port(), { security: 'starttls' }))
    const result = await sendTestEmail(emailAdmin.ctx(), { to: uniqueEmail('downgrade') })
    expect(result).toMatchObject({ delivered: false, via: 'settings', error: expect.stringMatching(/STARTTLS/i) })
    await saveEmailSettings(emailAdmin.ctx(), settingsFor(saved.port()))
  })

  const invalid: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['port 25', { port: '25' }, 'port', /Port 25 is not allowed/],
    ['a port out of range', { port: '70000' }, 'port', /1 to 65535/],
    ['no port', { port: '' }, 'port', /port number/],
    ['no host', { host: ' ' }, 'host', /host name/],
    ['a host with a space', { host: 'smtp example.com' }, 'host', /host name/],
    ['a host with a scheme', { host: 'smtp://mail.example.com' }, 'host', /host name/],
    ['an unknown security', { security: 'ssl' }, 'security', /secured/],
    ['a password in clear to a remote server', { host: 'smtp.example.com', security: 'none' }, 'security', /in clear/],
    ['a password without a username', { username: '' }, 'username', /username that goes with/],
    ['no sender address', { fromAddress: '' }, 'fromAddress', /email address/],
    ['a bad sender address', { fromAddress: 'mail at acme' }, 'fromAddress', /valid email/],
    ['a sender name with a line break', { fromName: 'Acme\nBcc: someone@evil.test' }, 'fromName', /letters, digits/],
  ]
  for (const [label, over, field, message] of invalid) {
    it(`refuses ${label} with a message on ${field}, changing nothing`, async () => {
      const db = await getDb()
      const before = { row: await db.select().from(emailSettings), counts: await rowCounts({ emailSettings, audit: auditEvents }) }
      const error = await saveEmailSettings(emailAdmin.ctx(), settingsFor(saved.port(), over)).catch((e) => e)
      expect(error).toBeInstanceOf(ValidationError)
      expect(error.fieldErrors[field]?.join(' ')).toMatch(message)
      expect({ row: await db.select().from(emailSettings), counts: await rowCounts({ emailSettings, audit: auditEvents }) }).toEqual(before)
    })
  }

  it('asks for the password when a username is given and none is stored', async () => {
    await removeEmailSettings(emailAdmin.ctx())
    const error = await saveEmailSettings(emailAdmin.ctx(), settingsFor(saved.port(), { password: '' })).catch((e) => e)
    expect(error.fieldErrors.password).toEqual(['Enter the password that goes with this username.'])
    await saveEmailSettings(emailAdmin.ctx(), settingsFor(saved.port()))
  })

  it('refuses members without Manage Email configurations', async () => {
    const before = await rowCounts({ emailSettings, audit: auditEvents, mailOutbox })
    for (const member of [developer, orgManager]) {
      await expect(saveEmailSettings(member.ctx(), settingsFor(saved.port()))).rejects.toBeInstanceOf(ForbiddenError)
      await expect(removeEmailSettings(member.ctx())).rejects.toBeInstanceOf(ForbiddenError)
      await expect(sendTestEmail(member.ctx(), { to: 'x@example.test' })).rejects.toBeInstanceOf(ForbiddenError)
    }
    expect(await rowCounts({ emailSettings, audit: auditEvents, mailOutbox })).toEqual(before)
  })

  it('removes the saved server, audited without the password; SMTP_URL delivers again', async () => {
    await removeEmailSettings(emailAdmin.ctx())
    expect(await mailDelivery()).toBe('environment')
    const events = await auditRows('email_settings.removed')
    expect(events[events.length - 1].changes?.before).toMatchObject({ host: '127.0.0.1', port: saved.port(), passwordStored: true })
    expect(JSON.stringify(events)).not.toContain(PASSWORD)
    await expect(removeEmailSettings(emailAdmin.ctx())).rejects.toBeInstanceOf(NotFoundError)
    const to = uniqueEmail('back-to-url')
    expect(await sendTestEmail(emailAdmin.ctx(), { to })).toEqual({ delivered: true, via: 'environment' })
    expect(fromUrl.inbox.some((m) => m.to.includes(to))).toBe(true)
  })
})
