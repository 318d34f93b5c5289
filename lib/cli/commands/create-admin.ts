import { and, desc, eq } from 'drizzle-orm'
import { getDb } from '@/db/client'
import { mailOutbox, roles } from '@/db/schema'
import { env } from '@/lib/env'
import { PreconditionFailedError } from '@/lib/errors'
import { isMailDelivered } from '@/lib/mail/outbox'
import { getOrganization } from '@/lib/setup/organization'
import { inviteMember } from '@/lib/users/invite-member'
import { cliCtx, defineCommand } from '../command'

type MailState = 'sent' | 'failed' | 'queued' | 'outbox'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * inviteMember hands the email to a fire-and-forget delivery. The CLI closes the database as soon
 * as the command returns, which would cut that delivery off, so wait (briefly) until the outbox
 * row says how it went. Only observes: a second delivery attempt here could send the code twice.
 */
async function awaitDelivery(email: string, timeoutMs = 20_000): Promise<{ state: MailState; error?: string }> {
  const db = await getDb()
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const [row] = await db
      .select({ sentAt: mailOutbox.sentAt, lastError: mailOutbox.lastError })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.toAddress, email), eq(mailOutbox.template, 'invitation')))
      .orderBy(desc(mailOutbox.id))
      .limit(1)
    if (row?.sentAt) return { state: 'sent' }
    if (row?.lastError) return { state: 'failed', error: row.lastError }
    if (Date.now() > deadline) return { state: 'queued' }
    await sleep(200)
  }
}

export const createAdmin = defineCommand({
  name: 'create-admin',
  summary: 'Invite a new member who will hold the built-in Administrator role.',
  details: [
    'Prints the one-time invitation link. The invitee opens it and enters the 6-digit code from the',
    'invitation email, then chooses a password. Requires that first-run setup (/setup) is done.',
  ],
  options: {
    email: { type: 'string', valueName: 'EMAIL', required: true, description: 'Email address of the new administrator.' },
    name: { type: 'string', valueName: 'NAME', description: 'Their display name (they can change it when accepting).' },
  },
  async run({ options, note }) {
    const appUrl = env().APP_URL.replace(/\/$/, '')
    // Before setup there is no organization to administer; the setup page creates the first administrator itself.
    if (!(await getOrganization()))
      throw new PreconditionFailedError(`Gatehouse has not been set up yet. Open ${appUrl}/setup in a browser to create the organization and its first administrator.`)
    const db = await getDb()
    const [role] = await db.select({ key: roles.key, name: roles.name }).from(roles).where(eq(roles.builtIn, 'administrator'))
    if (!role) throw new PreconditionFailedError('The built-in Administrator role is missing from this database; it cannot hold an administrator.')

    const invitation = await inviteMember(cliCtx(), { email: options.email, roleKey: role.key, ...(options.name !== undefined ? { name: options.name } : {}) })

    let mail: { state: MailState; error?: string } = { state: 'outbox' }
    if (await isMailDelivered()) {
      note(`Sending the invitation email to ${invitation.email}…`)
      mail = await awaitDelivery(invitation.email)
    }
    const mailLine = {
      sent: `The invitation email with the 6-digit code was sent to ${invitation.email}.`,
      failed: `The invitation email could not be sent (${mail.error}); it stays in the outbox and is retried with the next email the portal sends.`,
      queued: 'The invitation email is still queued; the portal will send it with the next email it sends.',
      outbox: 'No SMTP server is configured (Settings → Email delivery, or SMTP_URL): the email with the 6-digit code stays in the outbox, where administrators can read it at /dev/mailbox.',
    }[mail.state]

    const expiresAt = invitation.expiresAt.toISOString()
    return {
      lines: [
        `Invited ${invitation.email} as ${role.name}.`,
        `Invitation link (one-time, valid until ${expiresAt}):`,
        `  ${invitation.link}`,
        mailLine,
      ],
      data: { email: invitation.email, userKey: invitation.userKey, role: role.name, link: invitation.link, expiresAt, mail: mail.state },
    }
  },
})
